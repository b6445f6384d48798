package xmrun.executor

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.Failure
import xmrun.config.ClusterSpec
import xmrun.dsl.LauncherLoader
import xmrun.plan.Plan
import xmrun.scheduler.StartEstimate
import xmrun.scheduler.local.LocalScheduler
import xmrun.scheduler.sge.SgeScheduler
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.transport.ExecResult
import xmrun.transport.Transport

import java.nio.file.Path
import java.time.Duration
import java.time.Instant

/**
 * The choice between clusters, against stand-in clusters that answer as their schedulers do (the live spec,
 * MultiClusterSpec, asks real ones): what is asked, in parallel, and what is picked.
 */
class ClusterChooserSpec extends Specification {
    @TempDir
    Path dir

    /** A cluster's connection: answers sbatch --test-only and limits commands from a closure, after a pause. */
    static class StandIn implements Transport {
        final List<List<String>> calls = Collections.synchronizedList([])
        final Set<String> threads = Collections.synchronizedSet(new HashSet<String>())
        Closure<ExecResult> answer
        long pauseMs = 0

        ExecResult run(List<String> argv) {
            calls << argv
            threads << Thread.currentThread().name + Thread.currentThread().id
            sleep(pauseMs)
            answer(argv)
        }

        void write(List<Transport.FileContent> files) { throw new UnsupportedOperationException() }

        byte[] read(String path, long offset) { throw new UnsupportedOperationException() }

        String home() { '/home/me' }
    }

    static ExecResult startsIn(long seconds) {
        new ExecResult(0, '', "sbatch: Job 7 to start at ${Instant.now().epochSecond + seconds} using 1 processors on nodes n1 in partition p\n")
    }

    static final ExecResult NEVER = new ExecResult(1, '', 'allocation failure: Requested node configuration is not available\n')

    Plan plan(String jobs) {
        Path f = dir.resolve('l.xm.groovy')
        String text = "experiment('x') {\n$jobs\n}"
        f.toFile().text = text
        new Plan(LauncherLoader.load(f, text, 'l.xm.groovy', []))
    }

    ClusterChooser.Candidate slurm(String name, Plan plan, StandIn t, ClusterSpec.Placement defaults = ClusterSpec.Placement.NONE) {
        def spec = new ClusterSpec(name, 'slurm', null, null, defaults, [], [], null)
        new ClusterChooser.Candidate(new Cluster(name, new SlurmScheduler(), t, spec), plan)
    }

    def 'the earliest estimate wins, ties go to the first named, and every cluster is asked at once on its own connection'() {
        given: 'three Slurm clusters, each taking a second to answer'
        def p = plan("job('train') { command 'true' }")
        def a = new StandIn(pauseMs: 1000, answer: { startsIn(600) })
        def b = new StandIn(pauseMs: 1000, answer: { startsIn(0) })
        def c = new StandIn(pauseMs: 1000, answer: { startsIn(-5) }) // an estimate already past: now

        when:
        long t0 = System.nanoTime()
        def choice = new ClusterChooser([slurm('a', p, a), slurm('b', p, b), slurm('c', p, c)]).choose(p)[0]
        long ms = (System.nanoTime() - t0).intdiv(1_000_000)

        then: 'b and c both start now: b was named first'
        choice.picked() == 'b'
        choice.answers()*.cluster() == ['a', 'b', 'c']
        choice.answers()[0].delay() >= Duration.ofSeconds(598)
        choice.answers()[1].delay() == Duration.ZERO
        choice.answers()[2].delay() == Duration.ZERO

        and: 'one question each, asked in parallel'
        [a, b, c].every { it.calls.size() == 1 }
        ms < 1900
        (a.threads + b.threads + c.threads).size() == 3
    }

    def 'an estimate #what counts as #expected'() {
        given:
        def answered = Instant.parse('2026-12-01T10:00:00.700Z')

        expect:
        ClusterChooser.delay(answered.plusSeconds(seconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), answered) == expected

        where:
        what                                        | seconds || expected
        'already past'                              | -30     || Duration.ZERO
        'in the second of the answer'               | 0       || Duration.ZERO
        'a few seconds ahead (clocks, boundaries)'  | 5       || Duration.ZERO
        'later'                                     | 6       || Duration.ofSeconds(6)
        'much later'                                | 3600    || Duration.ofHours(1)
    }

    def 'the question is sbatch --test-only with the job as its script would ask, the cluster defaults included'() {
        given:
        def p = plan("job('train') { command 'true'; resources { cpus 4; gpus 1; time '1h' } }")
        def a = new StandIn(answer: { startsIn(0) })

        when:
        new ClusterChooser([slurm('a', p, a, new ClusterSpec.Placement('gpu', 'lab', null, null))]).choose(p)

        then:
        a.calls == [['env', 'SLURM_TIME_FORMAT=%s', 'sbatch', '--test-only', '--job-name=xm0-train', '--cpus-per-task=4', '--gpus=1',
                     '--time=01:00:00', '--partition=gpu', '--account=lab', '--wrap=true']]
    }

    def 'a cluster config environment goes before the question, as before every command of that cluster'() {
        given:
        def p = plan("job('train') { command 'true' }")
        def t = new StandIn(answer: { startsIn(0) })
        def spec = new ClusterSpec('b', 'slurm', null, null, ClusterSpec.Placement.NONE, [], [], null, null, null,
                [SLURM_CONF: '/etc/slurm-b/slurm.conf'], [])

        when:
        new ClusterChooser([new ClusterChooser.Candidate(new Cluster('b', new SlurmScheduler(), t, spec), p)]).choose(p)

        then:
        t.calls[0].take(5) == ['env', 'SLURM_CONF=/etc/slurm-b/slurm.conf', 'env', 'SLURM_TIME_FORMAT=%s', 'sbatch']
    }

    def 'a refusal and an unreachable cluster are skipped with their reasons; when nobody takes the job, nothing is picked'() {
        given:
        def p = plan("job('train') { command 'true' }")
        def refuses = new StandIn(answer: { NEVER })
        def down = new StandIn(answer: { throw new Failure('cannot reach me@login.example.org:22: Connection refused') })
        def idle = new StandIn(answer: { startsIn(0) })

        when:
        def one = new ClusterChooser([slurm('a', p, refuses), slurm('b', p, down), slurm('c', p, idle)]).choose(p)[0]
        def none = new ClusterChooser([slurm('a', p, refuses), slurm('b', p, down)]).choose(p)[0]

        then:
        one.picked() == 'c'
        one.answers()*.estimate()*.refusal() == ['allocation failure: Requested node configuration is not available',
                                                 'cannot reach me@login.example.org:22: Connection refused', null]
        none.picked() == null
    }

    def 'a scheduler without estimates comes after every estimate, in the order named, when its limits let the job fit'() {
        given:
        def p = plan("job('train') { command 'true'; resources { cpus 2 } }")
        def sge = new ClusterChooser.Candidate(new Cluster('grid', new SgeScheduler(), new StandIn(answer: { argv ->
            new ExecResult(0, 'max_aj_tasks 75000\n', '') }), null), p)
        def late = new StandIn(answer: { startsIn(3600) })
        def small = new ClusterChooser.Candidate(new Cluster('laptop', new LocalScheduler(dir, 'java', ''), new StandIn(answer: { argv ->
            new ExecResult(0, '1\n--\n', '') }), null), p)

        expect: 'a late estimate beats no estimate'
        new ClusterChooser([sge, slurm('late', p, late)]).choose(p)[0].picked() == 'late'

        and: 'without estimates, the first named that can take it'
        def c = new ClusterChooser([small, sge]).choose(p)[0]
        c.picked() == 'grid'
        c.answers()[0].estimate().refusal().contains("asks for 2 cpus; this machine has 1")
        c.answers()[1].estimate() == StartEstimate.UNKNOWN
    }

    def 'jobs joined by after or by a group are one chain, placed together by the first; others are placed on their own'() {
        given:
        def p = plan("""
            job('prep') { command 'true' }
            job('train') { command 'true'; resources { cpus 3 } }
            job('eval') { command 'true'; after 'train' }
            group('rl') {
                job('learner') { command 'true' }
                job('actor') { command 'true' }
            }
            job('report') { command 'true'; after 'actor' }""")
        def a = new StandIn(answer: { argv -> argv.contains('--cpus-per-task=3') ? NEVER : startsIn(0) })
        def b = new StandIn(answer: { startsIn(60) })

        when:
        def choices = new ClusterChooser([slurm('a', p, a), slurm('b', p, b)]).choose(p)

        then: 'one question per chain and cluster, about its first job (a group: all its members at once)'
        choices*.jobNames() == [['prep'], ['train', 'eval'], ['learner', 'actor', 'report']]
        choices*.picked() == ['a', 'b', 'a']
        a.calls.size() == 3
        a.calls[2].count(':') == 1 && a.calls[2].contains('--job-name=xm0-learner') && a.calls[2].contains('--job-name=xm0-actor')
    }

    def 'a scheduler that cannot do what a chain asks refuses it at the launcher line'() {
        given:
        def p = plan("job('wide') { command 'true'; resources { nodes 2 } }")
        def sge = new ClusterChooser.Candidate(new Cluster('grid', new SgeScheduler(), new StandIn(answer: { argv ->
            new ExecResult(0, 'max_aj_tasks 75000\n', '') }), null), p)

        when:
        def c = new ClusterChooser([sge, slurm('a', p, new StandIn(answer: { startsIn(0) }))]).choose(p)[0]

        then:
        c.picked() == 'a'
        c.answers()[0].estimate().refusal().startsWith('l.xm.groovy:2: job \'wide\' asks for 2 nodes')
    }
}
