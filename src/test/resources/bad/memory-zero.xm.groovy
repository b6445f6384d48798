// expect: 5: bad memory size '0G': must be more than zero
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { memory '0G' }
    }
}
