// expect: 6: Groovy reads `lr [...]` as indexing a variable 'lr'; put the list in parentheses, like lr([...]), or leave out the brackets
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep {
            lr []
        }
    }
}
