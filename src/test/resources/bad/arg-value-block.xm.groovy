// expect: 5: 'tag' takes a string, number or boolean, got a { } block
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        args tag: { 'first' }
    }
}
