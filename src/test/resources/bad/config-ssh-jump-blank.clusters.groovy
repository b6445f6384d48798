// expect: 4: jump must be an ssh config alias or [user@]host[:port], got 'me@gate example.org'
cluster('lab') {
    scheduler 'slurm'
    ssh { host 'login.example.org'; jump 'me@gate example.org' }
}
