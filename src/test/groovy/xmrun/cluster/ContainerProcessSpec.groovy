package xmrun.cluster

import groovy.json.JsonSlurper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess

import java.nio.file.Files
import java.nio.file.Path

/**
 * Container jobs launched as a user launches them, by separate xmrun processes: on this machine's schedulers, and over
 * SSH as the test user (127.0.0.1:2222, user xmtest) to the live Slurm, where the job runs as that user.
 */
class ContainerProcessSpec extends Specification {
    static final Path CLUSTER = ContainerImages.CLUSTER

    @Shared
    ContainerImages images

    @TempDir
    Path dir

    Properties env = new Properties()
    String remoteDir = "xmrun-spec-${UUID.randomUUID().toString().take(8)}"

    def setupSpec() {
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
        LiveCluster.require('Grid Engine', ['qstat', '-f'])
        LiveCluster.require('sshd', ['test', '-s', CLUSTER.resolve('ssh/sshd.pid').toString()])
        images = new ContainerImages()
    }

    def setup() {
        CLUSTER.resolve('cluster.env').toFile().withReader { env.load(it) }
    }

    def cleanup() {
        new ProcessBuilder('rm', '-rf', "/home/${env.XM_SSH_USER}/$remoteDir".toString()).start().waitFor()
    }

    /** xmrun with a config holding 'remote': the live Slurm over SSH as the test user. */
    XmrunProcess xmrun() {
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('remote') {
                scheduler 'slurm'
                ssh { host '127.0.0.1'; port ${env.XM_SSH_PORT}; user '${env.XM_SSH_USER}'; identity '${env.XM_SSH_KEY}'; knownHosts '${env.XM_SSH_KNOWN_HOSTS}' }
                workdir '~/$remoteDir'
            }"""
        new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])
    }

    Path code() {
        Path code = dir.resolve('code')
        ContainerImages.writeProbe(code)
        code
    }

    /** Where the units started: the snapshot of the code taken at launch, as the store recorded it. */
    String ranIn(XmrunProcess x, String exp) {
        Map shown = new JsonSlurper().parseText(x.run('show', exp, '--json').out) as Map
        assert shown.code.ranIn.startsWith(dir.resolve('home/code').toString())
        shown.code.ranIn
    }

    Map waitForFinal(XmrunProcess x, String exp, int seconds = 120) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (true) {
            def r = x.run('status', exp, '--json')
            assert r.exitCode == 0: r
            Map s = new JsonSlurper().parseText(r.out) as Map
            if (s.workUnits.every { it.state in ['SUCCEEDED', 'FAILED', 'CANCELLED'] }) {
                return s
            }
            assert System.currentTimeMillis() < deadline: "not final: ${s.workUnits*.state}"
            sleep(500)
        }
    }

    def 'on #cluster the 12 hostile arguments and env values reach a program in #runtime byte for byte; status --json shows the digest'() {
        given:
        Path code = code()
        def image = images.image(runtime, 1)
        code.resolve('c.xm.groovy').toFile().text = """
            experiment('hostile') {
                cluster '$cluster'${ContainerImages.hostileJob('probe', runtime, image.image)}
            }"""
        def x = xmrun()

        when:
        def launch = x.run(['launch', 'c.xm.groovy', '--wait'], code)
        Map status = waitForFinal(x, '1')

        then:
        launch.exitCode == 0
        launch.out.contains("image:    probe: ${image.image} ($runtime) pinned as ${image.digest}")
        status.workUnits*.state == ['SUCCEEDED'] * 12
        ContainerImages.hostileProblems(Path.of(status.workDir as String), 1, ranIn(x, '1')) == [] // the snapshot taken at launch
        status.containers.probe.digest == image.digest

        where:
        cluster | runtime
        'local' | 'podman'
        'local' | 'enroot'
        'sge'   | 'charliecloud'
    }

    def 'over SSH, as the test user, the 12 hostile arguments and env values reach a program in #runtime on Slurm'() {
        given:
        Path code = code()
        def image = images.image(runtime, 1)
        code.resolve('c.xm.groovy').toFile().text = """
            experiment('hostile') {
                cluster 'remote'${ContainerImages.hostileJob('probe', runtime, image.image)}
            }"""
        def x = xmrun()

        when:
        def launch = x.run(['launch', 'c.xm.groovy'], code)
        String staged = (launch.out =~ /-> (\S+)/)[0][1]
        Map status = waitForFinal(x, '1')

        then: 'the units ran as the test user, on the staged code'
        launch.exitCode == 0
        status.workUnits*.state == ['SUCCEEDED'] * 12
        ContainerImages.hostileProblems(Path.of(status.workDir as String), 1, staged) == []
        Files.getOwner(Path.of(status.workDir as String, 'wu/1/argv')).name == env.XM_SSH_USER

        and: 'the image was pinned on the cluster: the job ran a copy in the cluster\'s image cache'
        status.containers.probe.digest == image.digest
        runtime != 'enroot' || status.containers.probe.runs == "/home/${env.XM_SSH_USER}/$remoteDir/images/sha256/${image.digest.substring(7)}/xmrun-test-1.sqsh"

        where:
        runtime << ['enroot', 'podman']
    }

    def 'a launch with #what stops before anything is recorded, with the launcher\'s line, exit 2'() {
        given:
        Path code = code()
        code.resolve('c.xm.groovy').toFile().text = """experiment('bad') {
    cluster '$cluster'
    job('a') {
        command 'true'
        container {
            image '$image'
            runtime 'enroot'
            mount '$mount', '/data'
        }
    }
}"""
        def x = xmrun()

        when:
        def r = x.run(['launch', 'c.xm.groovy'], code)

        then:
        r.exitCode == 2
        r.err == message.replace('@CODE@', code.toString()).replace('@HOME@', "/home/${env.XM_SSH_USER}") + '\n'
        new JsonSlurper().parseText(x.run('list', '--json').out) == []

        where:
        what                               | cluster  | image                             | mount        || message
        'an image file that is not there'  | 'local'  | 'images/nope.sqsh'                | '/tmp'       || "c.xm.groovy:5: image file 'images/nope.sqsh' does not exist on local (looked for @CODE@/images/nope.sqsh)"
        'a mount of a missing path'        | 'local'  | ContainerImages.CLUSTER.resolve('images/xmrun-test-1.sqsh').toString() | '/no/such/dir' || "c.xm.groovy:8: mount '/no/such/dir': /no/such/dir does not exist on local"
        'a missing image file over SSH'    | 'remote' | '~/nope.sqsh'                     | '/tmp'       || "c.xm.groovy:5: image file '~/nope.sqsh' does not exist on remote (127.0.0.1) (looked for @HOME@/nope.sqsh)"
    }
}
