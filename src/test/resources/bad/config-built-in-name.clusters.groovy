// expect: 2: cluster name 'slurm' is built in (local, slurm, sge run on this machine); give this cluster a name of its own
cluster('slurm') {
    scheduler 'slurm'
}
cluster('lab') { scheduler 'slurm' }
