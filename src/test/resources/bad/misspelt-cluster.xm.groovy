// expect: 3: unknown word 'clustr' in experiment('mnist') { }; did you mean 'cluster'?
experiment('mnist') {
    clustr 'local'
    job('train') { command 'python3', 'train.py' }
}
