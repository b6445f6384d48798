// expect: 5: unknown word 'partiton' in job('train') { }; did you mean 'partition'?
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        partiton 'gpu'
    }
}
