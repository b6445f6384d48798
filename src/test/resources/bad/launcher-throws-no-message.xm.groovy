// expect: 4: illegal state error without a message
experiment('mnist') {
    job('train') { command 'true' }
    throw new IllegalStateException()
}
