// expect: 4: x
experiment('mnist') {
    job('train') { command 'true' }
    throw new RuntimeException('x')
}
