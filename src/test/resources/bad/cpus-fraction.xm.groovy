// expect: 5: 'cpus' expects a whole number of at least 1, got 1.5 (BigDecimal)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { cpus 1.5 }
    }
}
