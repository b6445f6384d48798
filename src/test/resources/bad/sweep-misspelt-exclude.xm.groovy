// expect: 7: sweep axis 'exlcude' cannot take a block; axes are written like `exlcude 1, 2, 3`; did you mean 'exclude'?
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            seed 0..4
            exlcude { seed == 0 }
        }
    }
}
