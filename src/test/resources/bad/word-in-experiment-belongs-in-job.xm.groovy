// expect: 3: 'command' belongs in job { }, not in experiment('mnist') { }
experiment('mnist') {
    command 'python3', 'train.py'
    job('train') { command 'python3', 'train.py' }
}
