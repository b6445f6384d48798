// expect: 2: an experiment needs a name: experiment('mnist') { job('train') { ... } }
experiment {
    job('train') { command 'true' }
}
