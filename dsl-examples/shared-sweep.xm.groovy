// A sweep kept in its own file, and a seed axis for the whole experiment.
//   bin/xmrun sweep dsl-examples/shared-sweep.xm.groovy    (prints the points, launches nothing)
//   bin/xmrun dsl-examples/shared-sweep.xm.groovy --wait
experiment('shared-sweep') {
    sweep { seed 0, 1 }                       // every job runs once per seed...
    job('prepare') {
        command 'bash', 'scripts/prepare.sh'
        sweep none                            // ...except this one, which runs once
    }
    job('train') {
        command 'bash', 'scripts/train.sh'
        args epochs: 2
        after 'prepare'
        sweep file('sweeps/lr.sweep.groovy')  // 2 seeds x 3 points = 6 work units
    }
}
