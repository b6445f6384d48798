// expect: 4: unknown word 'partiton' in slurm { }; did you mean 'partition'?
cluster('lab') {
    scheduler 'slurm'
    slurm { partiton 'gpu' }
}
