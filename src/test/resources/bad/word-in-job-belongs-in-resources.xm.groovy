// expect: 5: 'cpus' belongs in resources { }, not in job('train') { }
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        cpus 4
    }
}
