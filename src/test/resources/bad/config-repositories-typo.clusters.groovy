// expect: 3: unknown word 'mavn' in repositories { }; did you mean 'maven'?
repositories {
    mavn 'https://maven.lab.example/releases'
}
cluster('lab') { scheduler 'slurm' }
