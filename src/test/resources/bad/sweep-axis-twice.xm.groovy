// expect: 7: axis 'lr' appears twice in one sweep
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            lr 1e-3
            lr 3e-4
        }
    }
}
