// expect: 4: ssh { } needs a host: host 'login.example.org'
cluster('lab') {
    scheduler 'slurm'
    ssh { user 'me'; port 22 }
}
