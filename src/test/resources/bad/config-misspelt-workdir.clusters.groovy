// expect: 4: unknown word 'wrokdir' in cluster('lab') { }; did you mean 'workdir'?
cluster('lab') {
    scheduler 'slurm'
    wrokdir '/scratch/me'
}
