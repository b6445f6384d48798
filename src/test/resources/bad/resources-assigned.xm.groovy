// expect: 6: 'cpus = ...' in resources { }: words take their values without '=', like cpus 4
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources {
            cpus = 4
        }
    }
}
