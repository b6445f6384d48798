// expect: 4: 'templates' takes Maven coordinates group:artifact:version, got 'org.lab:hpc-templates'
cluster('lab') {
    scheduler 'slurm'
    templates 'org.lab:hpc-templates'
}
