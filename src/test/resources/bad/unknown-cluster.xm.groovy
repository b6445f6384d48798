// expect: 3: unknown cluster 'slrum'; did you mean 'slurm'? (known: local, slurm, sge; no cluster config file found)
experiment('x') {
    cluster 'slrum'
    job('a') { command 'true' }
}
