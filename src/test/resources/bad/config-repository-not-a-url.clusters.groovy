// expect: 3: maven repository must be a file:, http: or https: URL, got 'maven.lab.example/releases'
repositories {
    maven 'maven.lab.example/releases'
}
cluster('lab') { scheduler 'slurm' }
