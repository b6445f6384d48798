// expect: 7: unknown word 'memroy' in resources { }; did you mean 'memory'?
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources {
            cpus 4
            memroy '16G'
        }
    }
}
