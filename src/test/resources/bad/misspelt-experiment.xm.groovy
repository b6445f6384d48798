// expect: 2: unknown word 'experimnet' in the launcher; did you mean 'experiment'?
experimnet('mnist') {
    job('train') { command 'python3', 'train.py' }
}
