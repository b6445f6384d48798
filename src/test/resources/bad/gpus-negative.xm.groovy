// expect: 5: 'gpus' expects a whole number of at least 0, got -1 (Integer)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { gpus(-1) }
    }
}
