// expect: 6: sweep axis 'lr' has no values
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            lr()
        }
    }
}
