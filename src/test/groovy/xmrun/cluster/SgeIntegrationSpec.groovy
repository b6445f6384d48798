package xmrun.cluster

import xmrun.Hostile
import xmrun.XmrunProcess
import xmrun.app.StatusService
import xmrun.scheduler.Scheduler
import xmrun.scheduler.sge.SgeScheduler
import xmrun.store.ExperimentRecord
import xmrun.store.WorkUnitRecord
import xmrun.transport.ExecResult

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.LocalDateTime
import java.time.format.DateTimeFormatter

/** Launches on the live Grid Engine of the test cluster (src/test/cluster/up.sh): 2 slots, so little sleeping. */
class SgeIntegrationSpec extends LiveSchedulerSpec {
    // a line of a job script that starts with '#$' is a directive to qsub, even inside quotes: the newline one checks that
    static final List<String> HOSTILE = Hostile.STRINGS.collect { it == 'new\nline' ? 'new\n#$ -N injected\nline' : it }

    def setupSpec() {
        LiveCluster.require('Grid Engine', ['qstat', '-f'])
    }

    Scheduler newScheduler() {
        new SgeScheduler()
    }

    String clusterName() {
        'sge'
    }

    def 'a 12-point hostile sweep runs as one array and each task gets its args byte for byte'() {
        given:
        String values = Hostile.asGroovyValues(HOSTILE)

        when:
        def exp = launch("""
            experiment('hostile') {
                job('echo') {
                    command 'bash', '-c', 'printf "%s\\\\0" "\$@"', 'argv'
                    resources { cpus 1; memory '64M'; time '5m' }
                    sweep { arg $values }
                }
            }""")
        def units = waitForFinal(exp)

        then: 'one qsub, one array, under its own name'
        transport.count('qsub') == 1
        units*.schedulerId().collect { it.split('\\.')[0] }.unique().size() == 1
        units*.state()*.name() == ['SUCCEEDED'] * 12
        Files.list(Path.of(exp.workDir(), 'sched')).map { it.fileName.toString() }.filter { it.startsWith("xm${exp.id()}-echo.o") }.count() == 12

        and:
        HOSTILE.eachWithIndex { String value, int i ->
            assert new String(stdoutOf(exp, i + 1), 'UTF-8').split('\0', -1).toList() == ["--arg=$value".toString(), '']
        }
    }

    def 'a two-job pipeline runs in order'() {
        given:
        Path marker = dir.resolve('first-done')

        when:
        def exp = launch("""
            experiment('pipeline') {
                job('first')  { command 'bash', '-c', 'sleep 1; touch "\$1"', 'x', '$marker' }
                job('second') { command 'test', '-f', '$marker'; after 'first' }
            }""")

        then:
        waitForFinal(exp)*.state()*.name() == ['SUCCEEDED', 'SUCCEEDED']
    }

    def 'a failing first job leaves the second cancelled, with the exit code from qacct'() {
        when:
        def exp = launch("""
            experiment('fails') {
                job('first')  { command 'bash', '-c', 'exit 3' }
                job('second') { command 'true'; after 'first' }
                job('always') { command 'true'; after 'first', when: 'any' }
                job('onfail') { command 'true'; after 'first', when: 'failure' }
            }""")
        def units = waitForFinal(exp)

        then:
        units*.state()*.name() == ['FAILED', 'CANCELLED', 'SUCCEEDED', 'SUCCEEDED']
        units[0].exitCode() == 3

        and: 'the second never ran its program'
        !Files.exists(Path.of(exp.workDir(), 'wu', '2'))
    }

    def 'a succeeding first job lets the success dependent run and cancels the failure one'() {
        when:
        def exp = launch("""
            experiment('succeeds') {
                job('first')  { command 'true'; sweep { i 1, 2 } }
                job('second') { command 'true'; after 'first' }
                job('onfail') { command 'true'; after 'first', when: 'failure' }
            }""")

        then:
        waitForFinal(exp)*.state()*.name() == ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'CANCELLED']
    }

    def 'without accounting, status still shows live tasks and never guesses how one ended'() {
        given: 'qconf and qacct answering as on a cluster with reporting_params accounting=false'
        transport.override = { List<String> argv ->
            if (CountingTransport.programOf(argv) == 'qacct') {
                return new ExecResult(1, 'no jobs running since startup\n', '')
            }
            if (argv == ['qconf', '-sconf']) {
                ExecResult real = transport.real.run(argv)
                return new ExecResult(real.exitCode(), real.stdout().replace('accounting=true', 'accounting=false'), real.stderr())
            }
            null
        }

        when:
        def exp = launch("""
            experiment('noacct') {
                job('nap') { command 'sleep', '2'; sweep { i 1, 2 } }
            }""")
        long deadline = System.currentTimeMillis() + 60_000
        def seen = [] as Set
        List<WorkUnitRecord> units
        while (!(units = status().refresh(exp)).every { it.state().name() == 'UNKNOWN' }) {
            seen.addAll(units*.state()*.name())
            assert System.currentTimeMillis() < deadline
            sleep(200)
        }
        sleep(7000) // past the flush time (1 s) and the margin: with accounting on, a missing task would now be judged

        then:
        'RUNNING' in seen
        status().refresh(exp)*.state()*.name() == ['UNKNOWN', 'UNKNOWN']
    }

    def 'cancel stops a running array in one scheduler call'() {
        given:
        def exp = launch("""
            experiment('sleepy') {
                job('nap') {
                    command 'bash', '-c', 'sleep 300', 'nap'
                    resources { memory '32M' }
                    sweep { i 1..3 }
                }
            }""")
        long deadline = System.currentTimeMillis() + 60_000
        while (!status().refresh(exp).any { it.state().name() == 'RUNNING' }) {
            assert System.currentTimeMillis() < deadline
            sleep(200)
        }
        transport.reset()

        when:
        def after = status().cancel(exp, status().refresh(exp), Duration.ofSeconds(60))

        then:
        transport.count('qdel') == 1
        after*.state()*.name() == ['CANCELLED'] * 3
    }

    def 'logs returns a given task output, read by a new xmrun process'() {
        when:
        def exp = launch("""
            experiment('logs') {
                job('talk') {
                    command 'bash', '-c', 'echo "out of \$XM_WORK_UNIT_ID: \$1"; echo "err of \$XM_WORK_UNIT_ID" >&2', 'x'
                    sweep { word 'a', 'b', 'c' }
                }
            }""")
        waitForFinal(exp)
        def logs = new XmrunProcess(home.dir()).run('logs', "${exp.id()}", '2')

        then:
        logs.exitCode == 0
        logs.out == 'out of 2: --word=b\n'
        logs.err == 'err of 2\n'
    }

    def 'a 5,000-point sweep goes out as ceil(5000 / array size) arrays and status costs a constant number of calls'() {
        given: 'a start time a day ahead (qsub -a), so nothing runs'
        String tomorrow = LocalDateTime.now().plusDays(1).format(DateTimeFormatter.ofPattern('yyyyMMddHHmm'))

        when: 'arrays capped at 1,000 tasks'
        def exp = launch("""
            experiment('big') {
                job('many') {
                    command 'true'
                    maxArraySize 1000
                    option 'a', '$tomorrow'
                    sweep { a 1..50; b 1..100 }
                }
            }""")

        then:
        transport.count('qsub') == 5
        transport.count('qconf') == 1

        when:
        transport.reset()
        def units = status().refresh(exp)

        then: 'one qacct, one qstat and one qconf for all 5,000 units'
        units.size() == 5000
        units.every { it.state().name() == 'PENDING' }
        transport.calls.size() == 3
        transport.count('qacct') == 1
        transport.count('qstat') == 1
        transport.count('qconf') == 1

        when: 'deleted while waiting: Grid Engine keeps no record of them'
        transport.reset()
        def cancelled = status().cancel(exp, units, Duration.ofSeconds(60))

        then:
        transport.count('qdel') == 1
        cancelled.every { it.state().name() == 'CANCELLED' }
    }
}
