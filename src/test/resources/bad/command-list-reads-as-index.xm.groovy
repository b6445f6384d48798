// expect: 4: Groovy reads `command [...]` as indexing a variable 'command'; put the list in parentheses, like command([...]), or leave out the brackets
experiment('mnist') {
    job('train') {
        command ['python3', 'train.py']
    }
}
