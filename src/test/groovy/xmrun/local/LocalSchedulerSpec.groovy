package xmrun.local

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess

import java.nio.file.Path

/** The local scheduler keeps the launcher's word: slots, maxParallel, time limits and GPUs, seen from real runs. */
class LocalSchedulerSpec extends Specification {
    static final int CORES = Runtime.runtime.availableProcessors()

    @TempDir
    Path dir

    XmrunProcess xmrun

    def setup() {
        xmrun = new XmrunProcess(dir.resolve('home'))
    }

    def cleanup() {
        xmrun.run('cancel', '1') // nothing may outlive the spec that started it
    }

    Path launcher(String text) {
        Path f = dir.resolve('l.xm.groovy')
        f.toFile().text = text
        f
    }

    Map status(long exp = 1) {
        def r = xmrun.run('status', "$exp", '--json')
        assert r.exitCode == 0: r
        new JsonSlurper().parseText(r.out) as Map
    }

    /** Each unit's [start, end] in milliseconds, as the program itself wrote them. */
    List<List<Long>> spans(int units) {
        (1..units).collect { int id ->
            dir.resolve("span.$id").toFile().text.trim().split(' ')*.toLong()
        }
    }

    static boolean overlap(List<List<Long>> spans) {
        spans.any { a -> spans.any { b -> !a.is(b) && a[0] < b[1] && b[0] < a[1] } }
    }

    static final String SPAN = 'start=$(date +%s%3N); sleep 1; echo "$start $(date +%s%3N)" >"$1/span.$XM_WORK_UNIT_ID"'

    def 'maxParallel 1 runs the units of a job one after another'() {
        when:
        def r = xmrun.run('launch', launcher("""
            experiment('serial') {
                job('one') {
                    command 'bash', '-c', '$SPAN', 'span', '$dir'
                    maxParallel 1
                    sweep { i 1..3 }
                }
            }""").toString(), '--wait')

        then:
        r.exitCode == 0
        !overlap(spans(3))
    }

    def 'a unit takes as many CPU slots as it asks for: two units needing every core never overlap'() {
        when:
        def r = xmrun.run('launch', launcher("""
            experiment('wide') {
                job('all-cores') {
                    command 'bash', '-c', '$SPAN', 'span', '$dir'
                    resources { cpus $CORES }
                    sweep { i 1..2 }
                }
            }""").toString(), '--wait')

        then:
        r.exitCode == 0
        !overlap(spans(2))
    }

    def 'a unit past its time limit is stopped and ends TIMEOUT'() {
        when:
        long t0 = System.currentTimeMillis()
        def r = xmrun.run('launch', launcher('''
            experiment('slow') {
                job('nap') { command 'sleep', '30'; resources { time '1s' } }
            }''').toString(), '--wait')
        long took = System.currentTimeMillis() - t0

        then:
        r.exitCode == 1
        took < 15_000
        with(status().workUnits[0]) {
            state == 'FAILED'
            reason == 'TIMEOUT'
            exitCode == 143
        }
        r.out =~ /FAILED\s+143\s+\S+\s+TIMEOUT/
    }

    def 'a unit after a failed one is cancelled with the reason, and never runs'() {
        when:
        def r = xmrun.run('launch', launcher("""
            experiment('dep') {
                job('first')  { command 'false' }
                job('second') { command 'touch', '${dir.resolve('ran')}'; after 'first' }
            }""").toString(), '--wait')

        then:
        r.exitCode == 1
        status().workUnits*.state == ['FAILED', 'CANCELLED']
        status().workUnits[1].reason == 'DependencyNeverSatisfied'
        !dir.resolve('ran').toFile().exists()
    }

    def 'each unit asking for a GPU gets one of its own, from the GPUs xmrun was given'() {
        given:
        xmrun = new XmrunProcess(dir.resolve('home'), [CUDA_VISIBLE_DEVICES: '3,7'])

        when:
        def r = xmrun.run('launch', launcher("""
            experiment('gpus') {
                job('train') {
                    command 'bash', '-c', 'echo "\$CUDA_VISIBLE_DEVICES" >"\$1/gpu.\$XM_WORK_UNIT_ID"; $SPAN', 'span', '$dir'
                    resources { gpus 1 }
                    sweep { i 1..4 }
                }
            }""").toString(), '--wait')
        Map<Integer, String> gpu = (1..4).collectEntries { [it, dir.resolve("gpu.$it").toFile().text.trim()] }
        def spans = spans(4)

        then: 'every unit saw one of the two GPUs, and two units that overlapped saw different ones'
        r.exitCode == 0
        gpu.values().every { it in ['3', '7'] }
        (1..4).every { a -> (1..4).every { b -> a == b || gpu[a] != gpu[b] || !overlap([spans[a - 1], spans[b - 1]]) } }
    }

    def 'asking for more #what than this machine has is the launcher\'s mistake, found before anything runs'() {
        given:
        xmrun = new XmrunProcess(dir.resolve('home'), [CUDA_VISIBLE_DEVICES: '0'])

        when:
        launcher("""
            experiment('big') {
                job('huge') {
                    command 'true'
                    resources { $request }
                }
            }""")
        def r = xmrun.run(['launch', 'l.xm.groovy'], dir)

        then:
        r.exitCode == 2
        r.err == "l.xm.groovy:3: job 'huge' asks for ${message}\n"
        xmrun.run('list', '--json').out.trim() == '[]'

        where:
        what   | request                 || message
        'cpus' | "cpus ${CORES + 1}"     || "${CORES + 1} cpus; this machine has $CORES"
        'gpus' | 'gpus 2'                || '2 gpus; this machine has 1'
    }

    def 'a runner killed mid-run leaves its started unit to be told by its exit file, and its waiting ones UNKNOWN'() {
        given:
        def r = xmrun.run('launch', launcher("""
            experiment('orphan') {
                job('nap') {
                    command 'bash', '-c', 'sleep 2', 'nap'
                    maxParallel 1
                    sweep { i 1..2 }
                }
            }""").toString())
        assert r.exitCode == 0: r
        Path job = dir.resolve('home/local/jobs/1')
        long deadline = System.currentTimeMillis() + 10_000
        while (!(job.resolve('events').toFile().exists() && job.resolve('events').toFile().text.contains(' start '))
                && System.currentTimeMillis() < deadline) {
            sleep(50)
        }

        when: 'its runner dies (kill -9) while the first unit runs'
        new ProcessBuilder('kill', '-KILL', job.resolve('runner.pid').toFile().text.trim()).start().waitFor()
        sleep(3000)
        def units = status().workUnits

        then: 'the first unit finished on its own and its wrapper left the exit code; the second never started'
        units*.state == ['SUCCEEDED', 'UNKNOWN']
        units[1].reason == 'never started (its runner stopped)'
    }
}
