// expect: 5: bad time '1-25:00:00': hours must be 00-23, got 25
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { time '1-25:00:00' }
    }
}
