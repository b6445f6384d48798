// expect: 3: scheduler must be one of slurm, sge, got 'pbs'
cluster('lab') {
    scheduler 'pbs'
}
