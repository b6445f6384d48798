package xmrun.local

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.transport.LocalTransport

import java.nio.file.Files
import java.nio.file.Path

/** Launches real local work units from one xmrun process and inspects them from others. */
class LocalExecutionSpec extends Specification {
    @TempDir
    Path dir

    XmrunProcess xmrun

    def setup() {
        xmrun = new XmrunProcess(dir.resolve('home'))
    }

    Path launcher(String name, String text) {
        Path f = dir.resolve(name)
        f.toFile().text = text
        f
    }

    Map status(long exp) {
        def r = xmrun.run('status', "$exp", '--json')
        assert r.exitCode == 0: r
        new JsonSlurper().parseText(r.out) as Map
    }

    Map waitForFinal(long exp, int seconds = 60) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (true) {
            Map s = status(exp)
            if (s.workUnits.every { it.state in ['SUCCEEDED', 'FAILED', 'CANCELLED'] } || System.currentTimeMillis() > deadline) {
                return s
            }
            sleep(200)
        }
    }

    def 'status, list and logs work from new processes after xmrun has exited'() {
        given:
        Path file = launcher('two.xm.groovy', """
            experiment('two') {
                job('ok')   { command 'bash', '-c', 'echo "out \$XM_JOB_NAME \$XM_WORK_UNIT_ID \$XM_EXPERIMENT_ID"; echo err >&2' }
                job('fail') { command 'bash', '-c', 'exit 3'; after 'ok' }
            }""")

        when:
        def launch = xmrun.run('launch', file.toString())
        Map s = waitForFinal(1)

        then:
        launch.exitCode == 0
        s.workUnits*.state == ['SUCCEEDED', 'FAILED']
        s.workUnits*.exitCode == [0, 3]

        when:
        def logs = xmrun.run('logs', '1', '1')
        def list = xmrun.run('list', '--json')

        then:
        logs.out == 'out ok 1 1\n'
        logs.err == 'err\n'
        new JsonSlurper().parseText(list.out)[0].states == [SUCCEEDED: 1, FAILED: 1]
    }

    def 'cancel stops running work units and the ones still waiting'() {
        given: 'more sleeping work units than this machine runs at once'
        int units = Runtime.runtime.availableProcessors() + 1
        Path file = launcher('sleep.xm.groovy', """
            experiment('sleepy') {
                job('nap') {
                    command 'bash', '-c', 'sleep 300 & wait'
                    sweep { i 1..$units }
                }
            }""")
        xmrun.run('launch', file.toString())

        when: 'the first ones are running'
        long deadline = System.currentTimeMillis() + 30_000
        while (status(1).workUnits.count { it.state == 'RUNNING' } < units - 1 && System.currentTimeMillis() < deadline) {
            sleep(100)
        }
        // the local scheduler's events: "TASK start MILLIS PID" for each task it started
        List<Long> pids = dir.resolve('home/local/jobs/1/events').toFile().readLines().findAll { it.split(' ')[1] == 'start' }
                .collect { it.split(' ')[3] as long }
        def cancel = xmrun.run('cancel', '1')

        then:
        cancel.exitCode == 0
        pids.size() == units - 1
        status(1).workUnits*.state == ['CANCELLED'] * units
        pids.every { !LocalTransport.isRunning(it) }
        // the sleeps the work units started are gone too: they were in the unit's process group
        !new ProcessBuilder('pgrep', '-f', 'sleep 300').start().with { waitFor(); inputStream.text.trim() }
    }

    def 'status --watch reprints on each change and returns when every unit has ended'() {
        given:
        Path file = launcher('watch.xm.groovy', """
            experiment('watched') {
                job('nap') { command 'bash', '-c', 'sleep 2', 'nap' }
            }""")
        xmrun.run('launch', file.toString())

        when:
        def watch = xmrun.run('status', '1', '--watch')
        List<String> headers = watch.out.readLines().findAll { it.startsWith("experiment 1 'watched'") }

        then: 'a picture while it ran, then the final one'
        watch.exitCode == 0
        headers.size() >= 2
        headers.first() =~ /1 (running|submitted|pending)/
        headers.last() == "experiment 1 'watched' on local: 1 succeeded"
    }

    def 'logs -f prints output as it comes and returns when the unit has ended'() {
        given:
        Path file = launcher('follow.xm.groovy', """
            experiment('followed') {
                job('talk') { command 'bash', '-c', 'echo first; sleep 3; echo second; echo oops >&2', 'talk' }
            }""")
        xmrun.run('launch', file.toString())

        when:
        def follow = xmrun.run('logs', '1', '1', '-f')

        then:
        follow.exitCode == 0
        follow.out == 'first\nsecond\n'
        follow.err == 'oops\n'
        status(1).workUnits*.state == ['SUCCEEDED']
    }
}
