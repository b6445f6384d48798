// expect: 7: dependency cycle: prep -> train -> eval -> prep
experiment('mnist') {
    job('prep') { command 'true'; after 'eval' }
    job('train') { command 'true'; after 'prep' }
    job('eval') {
        command 'true'
        after 'train'
    }
}
