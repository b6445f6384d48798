// expect: 5: argument name '--epochs' must not start with '-': xmrun adds '--' itself (lr: 0.1 gives --lr=0.1)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        args '--epochs': 10
    }
}
