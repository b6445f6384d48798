// Sweep algebra: the shared learning rates, a baseline with axes of its own, minus one point.
//   bin/xmrun sweep dsl-examples/sweep-algebra.xm.groovy
//   bin/xmrun dsl-examples/sweep-algebra.xm.groovy --wait
experiment('sweep-algebra') {
    job('train') {
        command 'bash', 'scripts/train.sh'
        args epochs: 1
        sweep {
            concat {                                    // one sweep after the other
                sweep file('sweeps/lr.sweep.groovy')     // the 3 shared points
                sweep { lr 1e-2; optimizer 'sgd', 'adam' }  // no warmup axis: those runs get no --warmup
            }
            exclude { optimizer == 'adam' }             // a point lacking an axis sees it as null
            include lr: 0.1, warmup: 0                  // one extra point, last: 5 points in all
        }
    }
}
