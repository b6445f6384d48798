// expect: 5: env name 'batch-size' is not a valid variable name (letters, digits and '_', not starting with a digit)
experiment('x') {
    job('a') {
        command 'true'
        sweep { env { axis 'batch-size', 1, 2 } }
    }
}
