// expect: 4: 'scheduler' is already set in cluster('lab') { } at line 3
cluster('lab') {
    scheduler 'slurm'
    scheduler 'sge'
}
