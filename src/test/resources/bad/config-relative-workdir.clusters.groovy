// expect: 4: workdir must be an absolute path (or start with ~/), got 'scratch/xmrun'
cluster('lab') {
    scheduler 'slurm'
    workdir 'scratch/xmrun'
}
