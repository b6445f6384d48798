// expect: 7: 'cpus' is already set in resources { } at line 6
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources {
            cpus 4
            cpus 8
        }
    }
}
