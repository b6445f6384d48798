// expect: 4: 'job' belongs in a launcher's experiment { }, not in cluster('lab') { }
cluster('lab') {
    scheduler 'slurm'
    job('train') { command 'true' }
}
