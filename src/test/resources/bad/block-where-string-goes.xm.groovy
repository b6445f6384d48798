// expect: 4: 'command' expects a string, got a { } block
experiment('mnist') {
    job('train') {
        command { 'python3' }
    }
}
