// expect: 6: axis name '--lr' must not start with '-': xmrun adds '--' itself (lr: 0.1 gives --lr=0.1)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            axis '--lr', 1e-3, 3e-4
        }
    }
}
