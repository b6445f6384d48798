// expect: 5: sweep { } has no axes; add one like lr 1e-3, 3e-4
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep { }
    }
}
