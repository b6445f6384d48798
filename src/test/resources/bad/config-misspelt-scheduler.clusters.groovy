// expect: 3: scheduler must be one of local, slurm, sge, got 'slrum'; did you mean 'slurm'?
cluster('lab') {
    scheduler 'slrum'
}
