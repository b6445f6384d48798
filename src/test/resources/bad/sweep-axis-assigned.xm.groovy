// expect: 6: 'lr = ...' in sweep { }: an axis is written without '=', like lr 1, 2
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            lr = [1e-3, 3e-4]
        }
    }
}
