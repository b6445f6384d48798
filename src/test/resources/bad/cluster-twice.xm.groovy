// expect: 4: 'cluster' is already set in experiment('mnist') { } at line 3
experiment('mnist') {
    cluster 'slurm'
    cluster 'sge'
    job('train') { command 'python3', 'train.py' }
}
