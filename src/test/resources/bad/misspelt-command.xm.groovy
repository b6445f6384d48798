// expect: 4: unknown word 'comand' in job('train') { }; did you mean 'command'?
experiment('mnist') {
    job('train') {
        comand 'python3', 'train.py'
    }
}
