// expect: 4: host takes the host alone, got 'me@login.example.org'; the login name goes in user
cluster('lab') {
    scheduler 'slurm'
    ssh { host 'me@login.example.org' }
}
