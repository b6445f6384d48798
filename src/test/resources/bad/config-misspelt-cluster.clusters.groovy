// expect: 2: unknown word 'clutser' in the config; did you mean 'cluster'?
clutser('lab') {
    scheduler 'slurm'
}
