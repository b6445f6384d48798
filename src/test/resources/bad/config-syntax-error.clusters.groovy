// expect: 6: syntax error: unexpected input (is a '}' or ')' missing?)
cluster('lab') {
    scheduler 'slurm'
    ssh { host 'login.example.org'
}
