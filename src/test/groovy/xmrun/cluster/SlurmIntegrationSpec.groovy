package xmrun.cluster

import xmrun.Hostile
import xmrun.XmrunProcess
import xmrun.app.StatusService
import xmrun.scheduler.Scheduler
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.store.ExperimentRecord
import xmrun.transport.ExecResult

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/** Launches on the live Slurm of the test cluster (src/test/cluster/up.sh). */
class SlurmIntegrationSpec extends LiveSchedulerSpec {
    static final List<String> HOSTILE = Hostile.STRINGS

    def setupSpec() {
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
    }

    Scheduler newScheduler() {
        new SlurmScheduler()
    }

    String clusterName() {
        'slurm'
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

        then: 'one sbatch, one array'
        transport.count('sbatch') == 1
        units*.schedulerId().collect { it.split('_')[0] }.unique().size() == 1
        units*.state()*.name() == ['SUCCEEDED'] * 12

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

    def 'a failing first job leaves the second cancelled, with the exit code from sacct'() {
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
    }

    def 'status still works when accounting is disabled'() {
        given: 'sacct answering as it does on a cluster without slurmdbd'
        transport.override = { List<String> argv ->
            CountingTransport.programOf(argv) == 'sacct' ? new ExecResult(1, '', 'sacct: error: Slurm accounting storage is disabled\n') : null
        }

        when:
        def exp = launch("""
            experiment('noacct') {
                job('ok')   { command 'true'; sweep { i 1, 2 } }
                job('fail') { command 'false' }
            }""")
        def units = waitForFinal(exp)

        then:
        units*.state()*.name() == ['SUCCEEDED', 'SUCCEEDED', 'FAILED']
        units[0].exitCode() == 0
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
        def after = status().cancel(exp, status().refresh(exp), Duration.ofSeconds(30))

        then:
        transport.count('scancel') == 1
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
        when: 'arrays capped at 1,000 tasks, held so nothing runs'
        def exp = launch("""
            experiment('big') {
                job('many') {
                    command 'true'
                    maxArraySize 1000
                    option 'begin', 'now+1hour'
                    sweep { a 1..50; b 1..100 }
                }
            }""")

        then:
        transport.count('sbatch') == 5
        transport.count('scontrol') == 1

        when:
        transport.reset()
        def units = status().refresh(exp)

        then: 'one squeue and one sacct for all 5,000 units'
        units.size() == 5000
        units.every { it.state().name() == 'PENDING' }
        transport.calls.size() == 2
        transport.count('squeue') == 1
        transport.count('sacct') == 1

        when:
        transport.reset()
        def cancelled = status().cancel(exp, units, Duration.ofSeconds(60))

        then:
        transport.count('scancel') == 1
        cancelled.every { it.state().name() == 'CANCELLED' }
    }
}
