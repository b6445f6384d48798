// expect: 6: job 'train' runs after unknown job 'perp'; did you mean 'prep'?
experiment('mnist') {
    job('prep') { command 'true' }
    job('train') {
        command 'true'
        after 'perp'
    }
}
