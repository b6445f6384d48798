// expect: 5: 'cpus' expects a whole number of at least 1, got 'four' (String)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { cpus 'four' }
    }
}
