// Programs in containers: each job runs in an image, pinned to its digest when the experiment is launched.
//   bin/xmrun dsl-examples/containers.xm.groovy --wait
// The images are the test cluster's (src/test/cluster/start-containers.sh): put your own in their place.
experiment('containers') {
    container 'localhost/xmrun-test:1'           // every job; a registry image runs in podman
    job('os') {
        command 'sh', '-c', 'grep PRETTY_NAME /etc/os-release; echo "work unit $XM_WORK_UNIT_ID in $PWD"'
        sweep { greeting 'hello', 'salut' }      // 2 work units
    }
    job('squashfs') {
        command 'cat', '/data/hello.txt'
        container {
            image '/tmp/xmrun-testcluster/images/xmrun-test-2.sqsh'
            runtime 'enroot'                     // a .sqsh needs no runtime word: enroot is its default
            mount 'scripts', '/data', ro: true   // a directory next to this launcher, read-only inside
        }
    }
    job('host') {
        command 'uname', '-s'
        container none                           // runs on the node itself
    }
}
