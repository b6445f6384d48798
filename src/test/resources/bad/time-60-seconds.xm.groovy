// expect: 5: bad time '45:60': seconds must be 00-59, got 60
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { time '45:60' }
    }
}
