// expect: 5: bad memory size '-1G': expected a number with K, M, G or T, like '16G'
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { memory '-1G' }
    }
}
