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

    String shortTimeLimit() { '6s' }

    int secondsPastShortLimit() { 60 }

    String clusterName() {
        'sge'
    }

    String submitProgram() { 'qsub' }

    String cancelProgram() { 'qdel' }

    String limitsProgram() { 'qconf' }

    List<String> statusPrograms() { ['qacct', 'qstat', 'qconf'] }

    /** The dependent array deletes itself (qdel) before its program runs; Grid Engine records only a kill. */
    String dependencyFailedReason() { null }

    @Override
    List<String> hostile() { HOSTILE }

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

    def 'each task leaves Grid Engine\'s own output file, named after the job'() {
        when:
        def exp = launch("""
            experiment('named') {
                job('echo') { command 'true'; sweep { i 1..3 } }
            }""")
        waitForFinal(exp)

        then:
        Files.list(Path.of(exp.workDir(), 'sched')).map { it.fileName.toString() }.filter { it.startsWith("xm${exp.id()}-echo.o") }.count() == 3
    }
}
