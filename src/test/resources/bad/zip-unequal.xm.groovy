// expect: 8: zip needs axes of one length, got lr=3, warmup=2
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            zip {
                lr 1e-3, 3e-4, 1e-4
                warmup 100, 200
            }
        }
    }
}
