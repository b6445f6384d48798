// expect: 5: bad time '25:61:00': minutes must be 00-59, got 61
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { time '25:61:00' }
    }
}
