// expect: 4: 'partition' belongs in slurm { }, not in cluster('lab') { }
cluster('lab') {
    scheduler 'slurm'
    partition 'gpu'
}
