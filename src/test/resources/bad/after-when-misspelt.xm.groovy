// expect: 6: after ... when: must be 'success', 'any' or 'failure', got 'sucess' (String); did you mean 'success'?
experiment('mnist') {
    job('prep') { command 'true' }
    job('train') {
        command 'true'
        after 'prep', when: 'sucess'
    }
}
