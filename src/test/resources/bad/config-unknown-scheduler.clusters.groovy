// expect: 3: scheduler must be one of local, slurm, sge, got 'pbs'
cluster('lab') {
    scheduler 'pbs'
}
