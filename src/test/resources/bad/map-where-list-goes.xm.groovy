// expect: 3: 'ignore' in experiment('mnist') { } cannot take (LinkedHashMap)
experiment('mnist') {
    ignore dirs: ['data', 'ckpt']
    job('train') { command 'python3', 'train.py' }
}
