// expect: 2: cluster 'lab' needs a scheduler, one of: local, slurm, sge
cluster('lab') {
    workdir '/scratch/me/xmrun'
}
