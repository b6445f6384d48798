package xmrun.cluster

import xmrun.XmrunProcess
import xmrun.scheduler.Scheduler
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.transport.ExecResult

import java.nio.file.Files
import java.nio.file.Path

/** Launches on the live Slurm of the test cluster (src/test/cluster/up.sh); the shared features are in LiveSchedulerSpec. */
class SlurmIntegrationSpec extends LiveSchedulerSpec {
    def setupSpec() {
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
    }

    Scheduler newScheduler() { new SlurmScheduler() }

    String shortTimeLimit() { '1m' }

    int secondsPastShortLimit() { 150 }

    String clusterName() { 'slurm' }

    String submitProgram() { 'sbatch' }

    String cancelProgram() { 'scancel' }

    String limitsProgram() { 'scontrol' }

    List<String> statusPrograms() { ['squeue', 'sacct'] }

    @Override
    List<String> liveStatusPrograms() { ['squeue'] }

    String dependencyFailedReason() { 'DependencyNeverSatisfied' }

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

    def 'xmrun status shows why units ended: a time limit, and a dependency that failed'() {
        given: 'Slurm enforces time limits in whole minutes and checks them about every 30 s'
        def exp = launch("""
            experiment('why') {
                job('slow')  { command 'sleep', '600'; resources { time '1m' } }
                job('after') { command 'true'; after 'slow' }
            }""")

        when:
        def units = waitForFinal(exp, 180)
        def shown = new XmrunProcess(home.dir()).run('status', "${exp.id()}")
        def rows = shown.out.readLines()

        then:
        units*.state()*.name() == ['FAILED', 'CANCELLED']
        units*.reason() == ['TIMEOUT', 'DependencyNeverSatisfied']
        shown.exitCode == 0
        rows[1] =~ /^\s+WU\s+JOB\s+STATE\s+EXIT\s+RUNTIME\s+REASON\s+COMMAND$/
        rows[2] =~ /^\s+1\s+slow\s+FAILED\s+\S+\s+\S+\s+TIMEOUT\s+sleep 600$/
        rows[3] =~ /^\s+2\s+after\s+CANCELLED\s+-\s+-\s+DependencyNeverSatisfied\s+true$/
    }

    def 'a unit whose node goes down ends NODE_FAIL and runs again on the other node'() {
        given:
        def exp = launch("""
            experiment('nodefail') {
                job('steady') {
                    command 'bash', '-c', 'echo "\$XM_ATTEMPT on \$SLURMD_NODENAME"; [ "\$XM_ATTEMPT" = 1 ] && sleep 300; exit 0', 'steady'
                    retry 1, on: ['NODE_FAIL']
                }
            }""")
        waitUntilRunning(exp)
        String node = ['squeue', '--noheader', '-j', status().refresh(exp)[0].schedulerId(), '-o', '%N'].execute().text.trim()
        assert node in ['c1', 'c2']

        when: 'its node is set down under it, and drained so that it stays out (ReturnToService=2 would take it back at once)'
        def down = ['scontrol', 'update', "nodename=$node", 'state=down', 'reason=xmrun-spec'].execute()
        assert down.waitFor() == 0: down.err.text
        def drain = ['scontrol', 'update', "nodename=$node", 'state=drain', 'reason=xmrun-spec'].execute()
        assert drain.waitFor() == 0: drain.err.text
        def units = waitForFinal(exp, 180)
        def shown = new groovy.json.JsonSlurper().parseText(new XmrunProcess(home.dir()).run('status', "${exp.id()}", '--json').out)

        then:
        units*.state()*.name() == ['SUCCEEDED']
        units[0].attempt() == 2
        shown.workUnits[0].earlierAttempts*.reason == ['NODE_FAIL']
        Files.readString(Path.of(exp.workDir(), 'wu', '1', 'stdout.2')) == "2 on ${node == 'c1' ? 'c2' : 'c1'}\n"

        cleanup: 'the node back, and answering again before the next spec'
        ['scontrol', 'update', "nodename=$node", 'state=resume'].execute().waitFor()
        long back = System.currentTimeMillis() + 30_000
        while (['sinfo', '--noheader', '-n', node, '-o', '%T'].execute().text.contains('*') && System.currentTimeMillis() < back) {
            sleep(500)
        }
    }

    def '--wait returns within a second of the last unit\'s end, though the scheduler is by then asked only every 10 s'() {
        given: 'a unit that runs long enough for the poll to back off, then notes when it ends'
        Path ended = dir.resolve('ended')
        Path launcher = dir.resolve('wait.xm.groovy')
        launcher.toFile().text = """
            experiment('waiting') {
                cluster 'slurm'
                job('nap') { command 'bash', '-c', 'sleep 25; date +%s%3N >"\$1"', 'nap', '$ended' }
            }"""

        when:
        def r = new XmrunProcess(home.dir()).run('launch', launcher.toString(), '--wait')
        long returned = System.currentTimeMillis()

        then:
        r.exitCode == 0
        returned - (ended.toFile().text.trim() as long) < 1000
    }

    def 'a 100,000-point sweep with long values goes out as arrays of one script under 64 KiB, and all 100,000 units show PENDING'() {
        given: 'the gpu partition down, so nothing starts (the specs that run jobs use the default one)'
        assert ['scontrol', 'update', 'PartitionName=gpu', 'State=DOWN'].execute().waitFor() == 0

        when:
        def exp = launch("""
            experiment('huge') {
                job('many') {
                    command 'python3', 'train.py', '--data=/scratch/a/rather/long/path/to/a/dataset/shard-0001.tfrecord'
                    args tag: 'a long value that every one of the hundred thousand units gets'
                    partition 'gpu'
                    sweep {
                        lr ((1..100).collect { it * 1e-5 })
                        seed 0..99
                        model ((1..10).collect { "transformer-large-variant-\$it" })
                    }
                }
            }""")
        transport.reset()
        def units = status().refresh(exp)

        then: 'arrays of at most MaxArraySize (1001 here): 100 sbatch calls; one squeue for every unit (none has ended: no sacct)'
        units.size() == 100_000
        units.every { it.state().name() == 'PENDING' }
        units.count { it.reason() == 'PartitionDown' } == 100_000
        transport.calls*.get(2) == ['squeue']
        Files.size(Path.of(exp.workDir(), 'jobs', 'many.sh')) < 64 * 1024

        cleanup:
        if (exp != null) {
            status().cancel(exp, store.workUnits(exp.id()), java.time.Duration.ofSeconds(120))
        }
        ['scontrol', 'update', 'PartitionName=gpu', 'State=UP'].execute().waitFor()
    }
}
