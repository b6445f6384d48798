// expect: 5: env name 'WANDB_MODE=offline' is not a valid variable name (letters, digits and '_', not starting with a digit)
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        env 'WANDB_MODE=offline': 1
    }
}
