// expect: 7: concat { } joins whole sweeps, so axis 'lr' needs a sweep { } of its own, like concat { sweep { lr ... }; sweep { ... } }
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            concat {
                lr 1e-3
            }
        }
    }
}
