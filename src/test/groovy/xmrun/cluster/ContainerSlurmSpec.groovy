package xmrun.cluster

import groovy.json.JsonSlurper
import spock.lang.Shared
import xmrun.XmrunProcess
import xmrun.scheduler.Scheduler
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.store.ExperimentRecord

import java.nio.file.Files
import java.nio.file.Path

/**
 * Container jobs on the test cluster's live Slurm: podman, enroot through Pyxis, and charliecloud, each with the image
 * pinned at launch. Pyxis is an optional plugin there, so a failure of it runs the program on the host with exit 0:
 * every check reads the image's own /etc/os-release.
 */
class ContainerSlurmSpec extends LiveScheduler {
    @Shared
    ContainerImages images

    def setupSpec() {
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
        images = new ContainerImages()
    }

    Scheduler newScheduler() {
        new SlurmScheduler()
    }

    String clusterName() {
        'slurm'
    }

    Map statusJson(ExperimentRecord exp) {
        def r = new XmrunProcess(home.dir()).run('status', "${exp.id()}", '--json')
        assert r.exitCode == 0: r
        new JsonSlurper().parseText(r.out) as Map
    }

    /** Where the units started: the snapshot of the code taken at launch, as the store recorded it. */
    String ranIn(ExperimentRecord exp) {
        Map shown = new JsonSlurper().parseText(new XmrunProcess(home.dir()).run('show', "${exp.id()}", '--json').out) as Map
        assert shown.code.ranIn.startsWith(home.dir().resolve('code').toString())
        shown.code.ranIn
    }

    def 'the 12 hostile arguments and env values reach a program in #runtime byte for byte, and status shows the pinned digest'() {
        given:
        ContainerImages.writeProbe(dir)
        def image = images.image(runtime, 1)

        when:
        def exp = launch("""
            experiment('hostile') {${ContainerImages.hostileJob('probe', runtime, image.image)}
            }""")
        def units = waitForFinal(exp)

        then:
        units*.state()*.name() == ['SUCCEEDED'] * 12
        ContainerImages.hostileProblems(Path.of(exp.workDir()), 1, ranIn(exp)) == [] // the code's snapshot, frozen at launch

        and: 'the digest is recorded and shown'
        Map c = statusJson(exp).containers.probe
        c.runtime == runtime
        c.image == image.image
        c.digest == image.digest

        where:
        runtime << ['podman', 'enroot', 'charliecloud']
    }

    def 'a program in #runtime reads a host file through a mount#how'() {
        given:
        Path data = Files.createDirectories(dir.resolve('host-data'))
        data.resolve('greeting.txt').toFile().text = "hello from the host\n"
        String inside = sameMount ? data.toString() : '/mnt/in'

        when:
        def exp = launch("""
            experiment('mounted') {
                job('read') {
                    command 'sh', '-c', 'grep ^ID= /etc/os-release; cat "\$1"/greeting.txt; if touch "\$1"/x 2>/dev/null; then echo writable; else echo read-only; fi', 'sh', '$inside'
                    container {
                        image '${images.image(runtime, 1).image}'
                        runtime '$runtime'
                        mount '$data', '$inside'${readOnly ? ', ro: true' : ''}
                    }
                }
            }""")
        def units = waitForFinal(exp)

        then:
        units*.state()*.name() == ['SUCCEEDED']
        new String(stdoutOf(exp, 1), 'UTF-8') == "ID=xmrun-test\nhello from the host\n${readOnly ? 'read-only' : 'writable'}\n"

        where:
        runtime        | sameMount | readOnly || how
        'podman'       | false     | true     || ', read-only, at another path'
        'enroot'       | false     | true     || ', read-only, at another path'
        'charliecloud' | true      | false    || ' at its own path'
    }

    def 'a unit queued when its #what moves still runs the image pinned at launch'() {
        given: 'a job that cannot start for a minute, in an image named by a tag or a file of our own'
        ContainerImages.writeProbe(dir)
        String tag = "localhost/xmrun-spec-${UUID.randomUUID().toString().take(8)}:latest"
        Path file = dir.resolve('moving.sqsh')
        if (runtime == 'podman') {
            podman('tag', images.get('XM_IMAGE_1_PODMAN'), tag)
        } else {
            Files.copy(Path.of(images.get('XM_IMAGE_1_SQSH')), file)
        }
        String image = runtime == 'podman' ? tag : file.toString()

        when:
        def exp = launch("""
            experiment('moving') {
                job('later') {
                    command 'bash', 'probe.sh'
                    container { image '$image'; runtime '$runtime' }
                    option 'begin', 'now+120'
                }
            }""")
        String jobId = store.workUnits(exp.id())[0].schedulerId().split('_')[0]

        and: 'the reference moves to image 2 while the unit waits, and then it may start'
        assert status().refresh(exp)*.state()*.name() == ['PENDING']
        if (runtime == 'podman') { // podman will not move a name between stores: it is taken off image 1 first
            podman('untag', tag)
            podman('tag', images.get('XM_IMAGE_2_PODMAN'), tag)
            assert podman('image', 'inspect', '--format', '{{.Digest}}', tag).trim() == images.get('XM_IMAGE_2_PODMAN_DIGEST')
        } else {
            Files.copy(Path.of(images.get('XM_IMAGE_2_SQSH')), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
        }
        assert ['scontrol', 'update', "JobId=$jobId", 'StartTime=now'].execute().waitFor() == 0
        def units = waitForFinal(exp, 150)

        then: 'it ran image 1, the digest status shows'
        units*.state()*.name() == ['SUCCEEDED']
        new String(stdoutOf(exp, 1), 'UTF-8') == 'ID=xmrun-test\nVERSION_ID=1\n'
        statusJson(exp).containers.later.digest == images.image(runtime, 1).digest

        cleanup:
        if (runtime == 'podman') { // the tag, and the copy of image 1 it made in root's own store (the shared one is read-only)
            new ProcessBuilder('podman', 'rmi', tag).start().waitFor()
            new ProcessBuilder('podman', 'rmi', images.get('XM_IMAGE_1_PODMAN_ID')).start().waitFor()
        }

        where:
        runtime  | what
        'podman' | 'podman tag'
        'enroot' | 'image file'
    }

    def 'a mount of a path missing on the node fails the unit with the launcher\'s line in its stderr'() {
        when:
        def exp = launch("""
            experiment('missing') {
                job('m') {
                    command 'true'
                    container {
                        image '${images.image('enroot', 1).image}'
                        runtime 'enroot'
                        mount '/no/such/dir', '/data'
                    }
                }
            }""")
        def units = waitForFinal(exp)

        then:
        units*.state()*.name() == ['FAILED']
        units[0].exitCode() == 127
        Files.readString(Path.of(exp.workDir(), 'wu/1/stderr')) ==~ /xmrun: launcher\.xm\.groovy:8: mount \/no\/such\/dir: no such file or directory on \S+\n/
    }

    def 'cancelling a unit stops its podman container, which runs outside what Slurm kills'() {
        given: 'a unit whose container has started'
        def exp = launch("""
            experiment('sleepy') {
                job('nap') { command 'sleep', '300'; container '${images.image('podman', 1).image}' }
            }""")
        Path idFile = Path.of(exp.workDir(), 'wu/1/.podman-container-id')
        long deadline = System.currentTimeMillis() + 60_000
        while (!(Files.exists(idFile) && Files.size(idFile) > 0 && podman('ps', '-q', '--no-trunc').contains(Files.readString(idFile).trim()))) {
            assert System.currentTimeMillis() < deadline: 'the container did not start'
            sleep(200)
        }
        String id = Files.readString(idFile).trim()

        when:
        def units = status().cancel(exp, status().refresh(exp), java.time.Duration.ofSeconds(30))
        deadline = System.currentTimeMillis() + 30_000
        while (podman('ps', '-a', '-q', '--no-trunc').contains(id) && System.currentTimeMillis() < deadline) {
            sleep(200)
        }

        then:
        units*.state()*.name() == ['CANCELLED']
        !podman('ps', '-a', '-q', '--no-trunc').contains(id)
    }

    static String podman(String... args) {
        def p = new ProcessBuilder(['podman'] + (args as List)).redirectErrorStream(true).start()
        String out = p.inputStream.text
        assert p.waitFor() == 0: "podman ${args.join(' ')}: $out"
        out
    }
}
