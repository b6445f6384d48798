// expect: 6: sweep axis 'lr' takes numbers, strings or booleans, got [low:0.0001, high:0.01] (LinkedHashMap)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            lr low: 1e-4, high: 1e-2
        }
    }
}
