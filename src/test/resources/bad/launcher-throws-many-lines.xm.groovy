// expect: 4: first line ...
experiment('mnist') {
    job('train') { command 'true' }
    throw new IllegalStateException('first line\nsecond line')
}
