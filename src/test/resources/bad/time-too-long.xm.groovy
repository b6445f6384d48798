// expect: 5: bad time '99999999999999999999d': more than 365 days
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { time '99999999999999999999d' }
    }
}
