// expect: 8: sweep axis 'inclde' takes numbers, strings or booleans, got [lr:0.01] (LinkedHashMap); did you mean 'include'?
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            zip {
                lr 1e-3, 3e-4
                inclde lr: 1e-2
            }
        }
    }
}
