// expect: 7: unknown name 'sed' in exclude { }; did you mean 'seed'?
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            seed 0..4
            exclude { sed == 0 }
        }
    }
}
