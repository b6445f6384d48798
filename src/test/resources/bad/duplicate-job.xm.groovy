// expect: 4: job 'train' is already declared at line 3
experiment('mnist') {
    job('train') { command 'true' }
    job('train') { command 'false' }
}
