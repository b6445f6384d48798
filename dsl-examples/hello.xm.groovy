// The smallest launcher: one job, one work unit, run on this machine.
//   bin/xmrun dsl-examples/hello.xm.groovy --wait
experiment('hello') {
    job('greet') {
        command 'echo', 'hello from xmrun'
        args who: 'world'                  // becomes the argument --who=world
    }
}
