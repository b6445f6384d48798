// expect: 3: job 'a' sets 'WANDB_NAME' both in env and in its sweep
experiment('x') {
    job('a') {
        command 'true'
        env WANDB_NAME: 'fixed'
        sweep { env { WANDB_NAME 'a', 'b' } }
    }
}
