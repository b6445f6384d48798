// expect: 5: String has no method 'capitalise'
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        args tag: 'first'.capitalise()
    }
}
