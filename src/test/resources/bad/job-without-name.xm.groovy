// expect: 3: a job needs a name: job('train') { command ... }
experiment('mnist') {
    job {
        command 'true'
    }
}
