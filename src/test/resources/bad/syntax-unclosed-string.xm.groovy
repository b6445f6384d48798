// expect: 4: syntax error: Unexpected character: '\''
experiment('mnist') {
    job('train') {
        command 'python3, 'train.py'
    }
}
