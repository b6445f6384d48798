package xmrun.local

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.cluster.LiveCluster

import java.nio.file.Files
import java.nio.file.Path

/**
 * Job groups and the launch helpers on this machine's local scheduler: the members of a group start
 * at once, the helpers run on the one node there is. Ray and PyTorch come from the test cluster's
 * Python (XM_PYTHON_BIN); without them the helper specs fail.
 */
class LocalGroupSpec extends Specification {
    @TempDir
    Path dir

    XmrunProcess xmrun

    def setup() {
        xmrun = new XmrunProcess(dir.resolve('home'))
    }

    def cleanup() {
        xmrun.run('cancel', '1') // nothing may outlive the spec that started it
    }

    XmrunProcess.Result launch(String text) {
        dir.resolve('l.xm.groovy').toFile().text = text
        xmrun.run(['launch', 'l.xm.groovy', '--wait'], dir)
    }

    List<Map> units() {
        def r = xmrun.run('status', '1', '--json')
        assert r.exitCode == 0: r
        (new JsonSlurper().parseText(r.out) as Map).workUnits as List<Map>
    }

    String out(int unit) {
        dir.resolve("home/experiments/1/wu/$unit/stdout").toFile().text
    }

    static final String MEMBER = 'echo "$(date +%s%3N) $(sleep 1; date +%s%3N) $XM_GROUP ${XM_HOST_LEARNER:-none} $1"'

    def 'the members of a group start at once, once per sweep point, each told where the others are and keeping its own exit code'() {
        when:
        def r = launch("""
            experiment('rl') {
                group('rl') {
                    sweep { point 1, 2 }
                    job('learner') { command 'bash', '-c', '$MEMBER', 'x'; resources { cpus 1 } }
                    job('actor') { command 'bash', '-c', '$MEMBER; exit \$(( \${1#--point=} == 2 ? 3 : 0 ))', 'x'; resources { cpus 1 } }
                }
            }""")
        def spans = (1..4).collect { out(it).trim().split(' ') }

        then:
        r.exitCode == 1 // a unit failed
        units()*.state == ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED']
        units()*.exitCode == [0, 0, 0, 3]

        and: 'learner and actor of a point overlap'
        [[0, 2], [1, 3]].every { int l, int a -> (spans[l][0] as long) < (spans[a][1] as long) && (spans[a][0] as long) < (spans[l][1] as long) }
        spans*.getAt(2) == ['rl'] * 4
        spans*.getAt(3) == ['127.0.0.1'] * 4
        spans*.getAt(4) == ['--point=1', '--point=2'] * 2

        and: 'a point is one local job, its members its components'
        units()*.schedulerId.collect { it.replaceAll(/^\d+/, '') } == ['+0', '+0', '+1', '+1']
    }

    def 'launch torchrun(procsPerNode: 2) runs 2 processes on this machine that all_reduce across world size 2'() {
        given:
        String bin = LiveCluster.pythonBin()
        Files.write(dir.resolve('allreduce.py'), getClass().getResourceAsStream('/multinode/allreduce.py').bytes)

        when:
        def r = launch("""
            experiment('torch') {
                job('torch') {
                    command 'python3', 'allreduce.py', "it's \\\$HOME"
                    resources { tasksPerNode 2; cpus 1; time '5m' }
                    setup 'export PATH=$bin:\$PATH'
                    launch torchrun(procsPerNode: 2)
                }
            }""")
        // each rank prints one JSON object; two processes share the unit's stdout, so find the objects, not the lines
        String text = out(1)
        def ranks = (text =~ /\{"rank"[^{}]*\}/).collect { new JsonSlurper().parseText(it as String) as Map }.sort { it.rank }

        then:
        r.exitCode == 0
        assert ranks*.rank == [0, 1]: text
        ranks.every { it.world == 2 && it.sum == 1.0 && it.argv == ["it's \$HOME"] }
    }

    def 'launch ray() starts a Ray head on this machine for the driver, and stops it after'() {
        given:
        String bin = LiveCluster.pythonBin()
        Files.write(dir.resolve('ray_nodes.py'), getClass().getResourceAsStream('/multinode/ray_nodes.py').bytes)

        when:
        def r = launch("""
            experiment('ray') {
                job('ray') {
                    command 'python3', '-u', 'ray_nodes.py', "it's \\\$HOME"
                    resources { cpus 1; time '5m' }
                    setup 'export PATH=$bin:\$PATH'
                    launch ray()
                }
            }""")
        def seen = out(1).readLines().findAll { it.startsWith('{') }.collect { new JsonSlurper().parseText(it) as Map }
        String tmp = dir.resolve('home/experiments/1/wu/1/ray.log').toFile().text.find(/\/tmp\/xmray-\d+-\d+/)

        then:
        r.exitCode == 0
        seen == [[nodes: 1, tasks_on: ['?'], driver_on: '?', argv: ["it's \$HOME"]]]

        and: 'nothing of its Ray is left running, and its temp dir is gone'
        tmp != null
        ['pgrep', '-f', tmp].execute().text.trim() == ''
        !new File(tmp).exists()
    }
}
