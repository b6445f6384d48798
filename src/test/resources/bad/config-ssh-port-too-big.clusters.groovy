// expect: 4: port must be at most 65535, got 70000
cluster('lab') {
    scheduler 'slurm'
    ssh { host 'login.example.org'; port 70000 }
}
