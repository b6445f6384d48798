// expect: 3: job name 'train/eval' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit
experiment('mnist') {
    job('train/eval') { command 'true' }
}
