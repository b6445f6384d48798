// expect: 5: bad memory size '2000000T': more than 1 EiB
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { memory '2000000T' }
    }
}
