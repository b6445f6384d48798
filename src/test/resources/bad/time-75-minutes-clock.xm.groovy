// expect: 5: bad time '75:00': minutes must be 00-59, got 75
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { time '75:00' }
    }
}
