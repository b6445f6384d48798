// expect: 5: unknown word 'hots' in ssh { }; did you mean 'host'?
cluster('lab') {
    scheduler 'slurm'
    ssh {
        hots 'login.example.org'
    }
}
