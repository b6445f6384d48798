// expect: 5: bad time '-1h': expected like '2h', '30m', '1d12h' or '01:30:00'
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { time '-1h' }
    }
}
