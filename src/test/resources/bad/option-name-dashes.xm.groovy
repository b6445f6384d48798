// expect: 5: option name '--constraint' must be a plain word like 'constraint' (no leading dashes)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        option '--constraint', 'a100'
    }
}
