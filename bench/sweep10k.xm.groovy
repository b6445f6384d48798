// Benchmark input: one job swept over 100 x 100 = 10,000 points.
experiment('sweep10k') {
    job('train') {
        command 'python3', 'train.py'
        args epochs: 10
        sweep {
            lr((1..100).collect { it / 1000 })
            seed 1..100
        }
    }
}
