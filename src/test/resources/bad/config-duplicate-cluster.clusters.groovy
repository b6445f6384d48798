// expect: 3: cluster 'lab' is already declared at line 2
cluster('lab') { scheduler 'slurm' }
cluster('lab') { scheduler 'sge' }
