// A two-job pipeline: 'train' starts only after every 'prepare' work unit has succeeded.
//   bin/xmrun dsl-examples/pipeline.xm.groovy --wait
experiment('pipeline') {
    job('prepare') {
        command 'bash', 'scripts/prepare.sh'
        args shards: 2
    }
    job('train') {
        command 'bash', 'scripts/train.sh'
        after 'prepare'
        sweep { seed 1, 2 }
    }
}
