// expect: 5: 'time' expects a string, got 2 (Integer)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { time 2 }
    }
}
