// expect: 3: code directory 'src' does not exist (relative to this launcher)
experiment('mnist') {
    code 'src'
    job('train') { command 'python3', 'train.py' }
}
