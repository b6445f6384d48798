// expect: 6: job 'train' already has resources { } at line 5; put every resource in one block
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        resources { cpus 4 }
        resources { gpus 1 }
    }
}
