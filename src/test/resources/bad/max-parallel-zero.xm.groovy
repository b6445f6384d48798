// expect: 5: 'maxParallel' expects a whole number of at least 1, got 0 (Integer)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        maxParallel 0
    }
}
