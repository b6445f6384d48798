// A hyperparameter sweep: 2 learning rates x 3 seeds = 6 work units, each its own process.
//   bin/xmrun dsl-examples/sweep.xm.groovy --wait && bin/xmrun status
experiment('lr-sweep') {
    job('train') {
        command 'bash', 'scripts/train.sh'   // relative to this file's directory, where work units start
        args epochs: 2
        env RUN_GROUP: 'lr-sweep'
        resources { cpus 1; memory '512M'; time '10m' }
        sweep {
            lr   1e-3, 3e-4
            seed 0..2
        }                                    // --epochs=2 --lr=0.001 --seed=0, ...
    }
}
