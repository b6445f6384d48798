// expect: 5: bad time '0s': must be more than zero
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { time '0s' }
    }
}
