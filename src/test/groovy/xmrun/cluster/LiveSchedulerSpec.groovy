package xmrun.cluster

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.Hostile
import xmrun.XmrunProcess
import xmrun.app.LaunchService
import xmrun.app.StatusService
import xmrun.app.XmrunHome
import xmrun.executor.Cluster
import xmrun.scheduler.Scheduler
import xmrun.store.ExperimentRecord
import xmrun.store.ExperimentStore
import xmrun.store.WorkUnitRecord

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * What every scheduler must do alike, run against the real one: each subclass names its scheduler and
 * the programs its adapter calls, and inherits these features. Launches go through a transport that
 * counts calls, so "a constant number of scheduler calls" is checked, not assumed.
 */
abstract class LiveSchedulerSpec extends LiveScheduler {
    /** The programs the adapter runs to submit, cancel, read limits and read status. */
    abstract String submitProgram()

    abstract String cancelProgram()

    abstract String limitsProgram()

    abstract List<String> statusPrograms()

    /** The status programs asked while every unit is pending or running: Slurm asks sacct only once some have ended. */
    List<String> liveStatusPrograms() {
        statusPrograms()
    }

    /** The hostile strings as this scheduler must survive them (Grid Engine adds a directive injection). */
    List<String> hostile() {
        Hostile.STRINGS
    }

    /** What status says of a unit cancelled because the job it waited for failed (null where the scheduler cannot tell). */
    abstract String dependencyFailedReason()

    /**
     * A time limit this scheduler enforces soon, and how long a unit must run to pass it: Slurm counts limits in
     * whole minutes and looks every 30 s; Grid Engine and the local scheduler act within seconds.
     */
    abstract String shortTimeLimit()

    abstract int secondsPastShortLimit()

    def 'a 12-point hostile sweep runs as one array and each task gets its args byte for byte'() {
        given:
        List<String> values = hostile()

        when:
        def exp = launch("""
            experiment('hostile') {
                job('echo') {
                    command 'bash', '-c', 'printf "%s\\\\0" "\$@"', 'argv'
                    resources { cpus 1; memory '64M'; time '5m' }
                    sweep { arg ${Hostile.asGroovyValues(values)} }
                }
            }""")
        def units = waitForFinal(exp)

        then: 'one submission, one array'
        transport.count(submitProgram()) == 1
        units*.schedulerId().collect { newScheduler().parseTask(it).jobId() }.unique().size() == 1
        units*.state()*.name() == ['SUCCEEDED'] * 12

        and:
        values.eachWithIndex { String value, int i ->
            assert new String(stdoutOf(exp, i + 1), 'UTF-8').split('\0', -1).toList() == ["--arg=$value".toString(), '']
        }
    }

    def 'sweep axes in env { } reach the program as environment variables, byte for byte, not as arguments'() {
        given:
        List<String> values = hostile()

        when:
        def exp = launch("""
            experiment('envsweep') {
                job('echo') {
                    command 'bash', '-c', 'printf "%s\\\\0" "\$WANDB_NAME" "\$@"', 'argv'
                    sweep { env { WANDB_NAME ${Hostile.asGroovyValues(values)} }; seed 7 }
                }
            }""")
        def units = waitForFinal(exp)

        then:
        units*.state()*.name() == ['SUCCEEDED'] * values.size()
        values.eachWithIndex { String value, int i ->
            assert new String(stdoutOf(exp, i + 1), 'UTF-8').split('\0', -1).toList() == [value, '--seed=7', '']
        }
        units[0].point() == [WANDB_NAME: values[0], seed: 7]
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

    def 'a failing first job leaves the second cancelled, never run, with the exit code and the reason'() {
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
        units[1].reason() == dependencyFailedReason()
        !Files.exists(Path.of(exp.workDir(), 'wu', '2', 'stdout'))
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
        waitUntilRunning(exp)
        transport.reset()

        when:
        def after = status().cancel(exp, status().refresh(exp), Duration.ofSeconds(60))

        then:
        transport.count(cancelProgram()) == 1
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

    def 'results: what each unit printed as XM_RESULT and wrote to result.json comes back as columns, sortable'() {
        given: 'a program reporting on stdout and stderr (later keys win), one unit also in result.json, and a line that is not JSON'
        Path program = dir.resolve('train.sh')
        program.toFile().text = '''
            lr=${1#--lr=}; seed=${2#--seed=}
            echo "XM_RESULT {\\"val_loss\\": $(awk -v l="$lr" -v s="$seed" 'BEGIN { print l * 10 + s }'), \\"acc\\": 0.5}"
            echo "XM_RESULT {\\"acc\\": 0.$seed}" >&2
            if [ "$seed" = 2 ]; then echo '{"val_loss": 9, "note": "from, file"}' >"$XM_WORK_DIR/result.json"; fi
            echo 'XM_RESULT not json'
            '''

        when:
        def exp = launch("""
            experiment('results') {
                job('train') {
                    command 'bash', '$program'
                    sweep { lr 0.1, 0.2; seed 0..2 }
                }
            }""")
        waitForFinal(exp)
        def xmrun = new XmrunProcess(home.dir())
        def csv = xmrun.run('results', "${exp.id()}", '--csv', '--sort', '-val_loss')
        def json = xmrun.run('results', "${exp.id()}", '--json', '--limit', '1')

        then:
        csv.exitCode == 0
        csv.out.split('\r\n').toList() == [
                'WU,JOB,STATE,lr,seed,val_loss,acc,note',
                '3,train,SUCCEEDED,0.1,2,9,0.2,"from, file"',
                '6,train,SUCCEEDED,0.2,2,9,0.2,"from, file"',
                '5,train,SUCCEEDED,0.2,1,3,0.1,',
                '2,train,SUCCEEDED,0.1,1,2,0.1,',
                '4,train,SUCCEEDED,0.2,0,2,0.0,',
                '1,train,SUCCEEDED,0.1,0,1,0.0,']

        and:
        new groovy.json.JsonSlurper().parseText(json.out) == [[workUnit: 1, job: 'train', state: 'SUCCEEDED', values: [lr: 0.1, seed: 0],
                                                               results: [val_loss: 1, acc: 0.0]]]
    }

    def 'a unit that fails on its first attempt and succeeds on its second ends SUCCEEDED after 2 attempts, each with its own output'() {
        given: 'a program that fails unless its marker file exists, and leaves it behind'
        Path markers = Files.createDirectories(dir.resolve('markers'))

        when:
        def exp = launch("""
            experiment('retry') {
                job('flaky') {
                    command 'bash', '-c', 'echo "attempt \$XM_ATTEMPT"; [ -e "\$1/\$XM_WORK_UNIT_ID" ] && exit 0; touch "\$1/\$XM_WORK_UNIT_ID"; exit 3',
                            'flaky', '$markers'
                    retry 1
                    sweep { i 1, 2 }
                }
            }""")
        def units = waitForFinal(exp, 180)
        def xmrun = new XmrunProcess(home.dir())
        def shown = new groovy.json.JsonSlurper().parseText(xmrun.run('status', "${exp.id()}", '--json').out)

        then:
        units*.state()*.name() == ['SUCCEEDED', 'SUCCEEDED']
        units*.attempt() == [2, 2]
        xmrun.run('logs', "${exp.id()}", '1').out == 'attempt 2\n'
        xmrun.run('logs', "${exp.id()}", '1', '--attempt', '1').out == 'attempt 1\n'
        shown.workUnits[0].earlierAttempts*.state == ['FAILED']
        shown.workUnits[0].earlierAttempts*.exitCode == [3]
        shown.workUnits[0].earlierAttempts[0].schedulerId != shown.workUnits[0].schedulerId
    }

    def 'a job after a retried one starts only once it finally succeeded, and is cancelled when it finally failed'() {
        given:
        Path markers = Files.createDirectories(dir.resolve('markers'))

        when:
        def exp = launch("""
            experiment('pipeline') {
                job('flaky') {
                    command 'bash', '-c', '[ -e "\$1/flaky" ] && exit 0; touch "\$1/flaky"; exit 3', 'flaky', '$markers'
                    retry 1
                }
                job('doomed') { command 'false'; retry 1 }
                job('next')   { command 'bash', '-c', 'test -e "\$1/flaky" && date +%s%N >"\$1/next"', 'next', '$markers'; after 'flaky' }
                job('never')  { command 'touch', '${markers.resolve('never')}'; after 'doomed' }
            }""")
        def units = waitForFinal(exp, 240)

        then: 'flaky succeeded on its second attempt, and only then did next run'
        units*.state()*.name() == ['SUCCEEDED', 'FAILED', 'SUCCEEDED', 'CANCELLED']
        units*.attempt() == [2, 2, 1, 1]
        Files.exists(markers.resolve('next'))

        and: 'never waited for doomed, which failed on both attempts, and was cancelled, never run'
        units[3].reason() == 'DependencyNeverSatisfied'
        !Files.exists(markers.resolve('never'))
    }

    def 'past its time limit a unit is warned first, ends TIMEOUT, and runs again with XM_ATTEMPT=2 from its checkpoint'() {
        given: 'a program that checkpoints on USR2, sleeps past its limit on attempt 1 and resumes from the checkpoint on attempt 2'
        Path work = Files.createDirectories(dir.resolve('ckpt'))
        Path program = dir.resolve('long.sh')
        program.toFile().text = """
            if [ -e '$work/checkpoint' ]; then echo "resumed on attempt \$XM_ATTEMPT"; exit 0; fi
            trap 'echo "warned on attempt \$XM_ATTEMPT" >'"'$work/checkpoint'" USR2
            end=\$((SECONDS + ${secondsPastShortLimit()}))
            while [ \$SECONDS -lt \$end ]; do sleep 1; done
            """

        when:
        def exp = launch("""
            experiment('timeout') {
                job('long') {
                    command 'bash', '$program'
                    resources { time '${shortTimeLimit()}' }
                    signal 'USR2', before: '${shortTimeLimit() == '1m' ? '40s' : '2s'}'
                    retry 1, on: ['TIMEOUT']
                }
            }""")
        def units = waitForFinal(exp, 300)
        def shown = new groovy.json.JsonSlurper().parseText(new XmrunProcess(home.dir()).run('status', "${exp.id()}", '--json').out)

        then:
        units*.state()*.name() == ['SUCCEEDED']
        units[0].attempt() == 2
        shown.workUnits[0].earlierAttempts*.reason == ['TIMEOUT']
        work.resolve('checkpoint').toFile().text == 'warned on attempt 1\n'
        new String(stdoutOf(exp, 1), 'UTF-8') == '' // attempt 1 printed nothing; attempt 2 wrote stdout.2
        Files.readString(Path.of(exp.workDir(), 'wu', '1', 'stdout.2')) == 'resumed on attempt 2\n'
    }

    def 'a 5,000-point sweep goes out as ceil(5000 / array size) arrays and status costs a constant number of calls'() {
        when: 'arrays capped at 1,000 tasks, all waiting for a job that does not end'
        def exp = launch("""
            experiment('big') {
                job('gate') { command 'sleep', '600' }
                job('many') {
                    command 'true'
                    after 'gate'
                    maxArraySize 1000
                    sweep { a 1..50; b 1..100 }
                }
            }""")

        then:
        transport.count(submitProgram()) == 1 + 5
        transport.count(limitsProgram()) == 1

        when:
        transport.reset()
        def units = status().refresh(exp)

        then: 'one batch of status calls for all 5,001 units'
        units.size() == 5001
        units.drop(1).every { it.state().name() == 'PENDING' }
        transport.calls.size() == liveStatusPrograms().size()
        liveStatusPrograms().every { transport.count(it) == 1 }

        when:
        transport.reset()
        def cancelled = status().cancel(exp, units, Duration.ofSeconds(60))

        then:
        transport.count(cancelProgram()) == 1
        cancelled.every { it.state().name() == 'CANCELLED' }
    }
}
