// expect: 7: 'seed = ...' in exclude { } assigns; compare with seed == ...
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            seed 0..4
            exclude { seed = 0 }
        }
    }
}
