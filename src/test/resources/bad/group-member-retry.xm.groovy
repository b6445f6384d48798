// expect: 6: job 'actor' is a member of group 'rl'; its units cannot be retried alone
experiment('x') {
    cluster 'slurm'
    group('rl') {
        job('learner') { command 'true' }
        job('actor') {
            command 'true'
            retry 1
        }
    }
}
