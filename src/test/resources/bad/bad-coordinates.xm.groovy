// expect: 3: 'templates' takes Maven coordinates group:artifact:version, got 'org.lab:hpc-templates'
experiment('mnist') {
    templates 'org.lab:hpc-templates'
    job('train') { command 'python3', 'train.py' }
}
