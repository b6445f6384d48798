// A Ray program over 2 Slurm nodes: xmrun starts a Ray cluster on the unit's nodes (a head on the first,
// a worker on the other), waits until both have joined, and runs the program once, as its driver.
//   bin/xmrun dsl-examples/ray.xm.groovy --wait        (needs Slurm, and Ray on the nodes)
experiment('ray') {
    cluster 'slurm'
    job('ray') {
        command 'python3', 'scripts/ray_tasks.py'
        args steps: 10                           // --steps=10
        resources { nodes 2; cpus 1; memory '2G'; time '10m' }   // 1 CPU and 2G on each node
        setup 'export PATH=/opt/xmrun-testpy/bin:$PATH'          // a Python with Ray (the test cluster's venv)
        launch ray()                             // or ray(symmetric: true): `ray symmetric-run` on every node
        sweep { seed 0, 1 }                      // 2 work units: a Ray cluster each
    }
}
