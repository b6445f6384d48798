// expect: 4: identity must be an absolute path (or start with ~/), got '.ssh/id_ed25519'
cluster('lab') {
    scheduler 'slurm'
    ssh { host 'login.example.org'; identity '.ssh/id_ed25519' }
}
