// expect: 7: exclude { } drops all 5 points of the sweep
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            seed 0..4
            exclude { seed >= 0 }
        }
    }
}
