// expect: 2: 'job' belongs in experiment { }, not in the launcher
job('train') {
    command 'python3', 'train.py'
}
