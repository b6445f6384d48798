// expect: 2: cluster 'lab' needs a scheduler: scheduler 'slurm' or scheduler 'sge'
cluster('lab') {
    workdir '/scratch/me/xmrun'
}
