// expect: 8: sweep axis 'swep' cannot take a block; axes are written like `swep 1, 2, 3`; did you mean 'sweep'?
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            concat {
                sweep { lr 1e-3 }
                swep { lr 1e-2 }
            }
        }
    }
}
