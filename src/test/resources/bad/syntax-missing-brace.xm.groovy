// expect: 6: syntax error: unexpected input (is a '}' or ')' missing?)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
    }
