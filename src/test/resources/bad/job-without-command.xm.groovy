// expect: 3: job 'train' has no command; add e.g. command 'python3', 'train.py'
experiment('mnist') {
    job('train') {
        args epochs: 10
    }
}
