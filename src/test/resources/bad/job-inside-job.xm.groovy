// expect: 5: 'job' belongs in experiment { }, not in job('train') { }
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        job('eval') { command 'python3', 'eval.py' }
    }
}
