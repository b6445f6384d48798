// expect: 6: job 'train' already has a sweep; put every axis in one sweep { } block
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep { lr 1e-3 }
        sweep { seed 0..2 }
    }
}
