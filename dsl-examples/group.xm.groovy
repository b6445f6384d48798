// An actor and a learner that start together, once per seed: on Slurm each seed is one heterogeneous job
// whose components are the members, each with its own resources. The actor finds the learner through
// XM_HOST_LEARNER (the address of the learner's first node); 'report' waits for the whole group.
// 5 work units: a learner and an actor per seed, then the report.
//   bin/xmrun dsl-examples/group.xm.groovy --wait      (needs a running Slurm: sinfo)
experiment('actor-learner') {
    cluster 'slurm'
    group('rl') {
        sweep { seed 1, 2 }                      // one learner and one actor per seed
        job('learner') {
            command 'bash', '-c', 'echo "learner on $(hostname) with $SLURM_CPUS_ON_NODE CPUs, $1"; sleep 2', 'learner'
            resources { cpus 2; memory '256M'; time '10m' }
        }
        job('actor') {
            command 'bash', '-c', 'echo "actor of group $XM_GROUP reaches the learner at $XM_HOST_LEARNER, $1"; sleep 1', 'actor'
            resources { cpus 1; memory '256M'; time '10m' }
        }
    }
    job('report') {
        command 'bash', '-c', 'echo "every learner and actor of experiment $XM_EXPERIMENT_ID succeeded"'
        after 'rl'
    }
}
