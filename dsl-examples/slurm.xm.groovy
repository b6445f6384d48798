// The sweep on this machine's Slurm: one array of 4 tasks, then a summary job after it.
//   bin/xmrun dsl-examples/slurm.xm.groovy --wait        (needs a running Slurm: sinfo)
experiment('slurm-sweep') {
    cluster 'slurm'
    job('train') {
        command 'bash', 'scripts/train.sh'
        resources { cpus 1; memory '256M'; time '10m' }
        maxParallel 2                        // at most 2 tasks of the array at once
        sweep {
            lr   1e-3, 3e-4
            seed 0, 1
        }
    }
    job('summary') {
        command 'bash', '-c', 'echo "all train work units of experiment $XM_EXPERIMENT_ID succeeded"'
        after 'train'
    }
}
