// expect: 5: 'setup' in job('train') { } cannot take ({ } block)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        setup { 'module load cuda' }
    }
}
