// expect: 5: job 'train' cannot run after itself
experiment('mnist') {
    job('train') {
        command 'true'
        after 'train'
    }
}
