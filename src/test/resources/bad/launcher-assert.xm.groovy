// expect: 3: assertion failed: assert epochs > 0
int epochs = 0
assert epochs > 0
experiment('mnist') {
    job('train') { command 'true' }
}
