// expect: 5: Groovy reads `gpus -1` as a subtraction; put a negative value in parentheses, like gpus(-1)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { gpus -1 }
    }
}
