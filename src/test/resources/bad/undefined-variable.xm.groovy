// expect: 5: unknown name 'numEpochs' in job('train') { }
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        args epochs: numEpochs
    }
}
