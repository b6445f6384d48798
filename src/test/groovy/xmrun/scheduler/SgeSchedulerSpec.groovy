package xmrun.scheduler

import spock.lang.Specification
import xmrun.Failure
import xmrun.UserError
import xmrun.model.Dependency
import xmrun.model.Resources
import xmrun.scheduler.sge.SgeScheduler
import xmrun.state.UnitStatus
import xmrun.state.WorkUnitState
import xmrun.transport.ExecResult

import java.time.Duration
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneId

import static xmrun.state.WorkUnitState.*

/**
 * The Grid Engine adapter as pure functions. qstat.xml, qacct.txt and qconf-sconf.txt are real output of
 * Grid Engine 8.1.9: jobs 35 (exits 100: error state), 36 (3 tasks exiting 0, 3, 0; 2 running, 1 waiting),
 * 37 (2 tasks held by -hold_jid 36), 38 (5 tasks with a start time tomorrow, then deleted), 39 (deleted
 * while running), 40 (killed at its h_rt).
 */
class SgeSchedulerSpec extends Specification {
    SgeScheduler sge = new SgeScheduler()

    static String resource(String name) {
        SgeSchedulerSpec.getResource("/sge/$name").getText('UTF-8')
    }

    static final ExecResult NOTHING_ENDED = new ExecResult(1, '', 'error: job name xm900-* not found\n')
    static final ExecResult EMPTY_QUEUE = new ExecResult(0, "<?xml version='1.0'?>\n<job_info><queue_info></queue_info><job_info></job_info></job_info>\n", '')
    static final ExecResult CONF = new ExecResult(0, resource('qconf-sconf.txt'), '')

    static ExecResult qstat(String code, String tasks = '1') {
        new ExecResult(0, """<?xml version='1.0'?>
<job_info><queue_info></queue_info><job_info>
<job_list state="pending"><JB_job_number>7</JB_job_number><JB_name>xm1-a</JB_name><state>$code</state><tasks>$tasks</tasks></job_list>
</job_info></job_info>
""", '')
    }

    static ExecResult qacct(int failed, String exitStatus) {
        new ExecResult(0, """==============================================================
jobname      xm1-a
jobnumber    7
taskid       1
start_time   Sat Nov 21 12:58:03 2026
end_time     Sat Nov  7 12:58:07 2026
failed       $failed
exit_status  $exitStatus
""", '')
    }

    Map<String, UnitStatus> status(List<String> ids, ExecResult acct, ExecResult queue, Map<String, UnitStatus> lastSeen = [:],
                                   ExecResult conf = CONF) {
        Map<TaskKey, UnitStatus> seen = lastSeen.collectEntries { k, v -> [sge.parseTask(k), v] }
        sge.parseStatus(ids, [acct, queue, conf], seen).collectEntries { k, v -> [sge.formatTask(k), v] }
    }

    /** The fixtures were printed with TZ=UTC, as the adapter asks for: a cluster's zone never shifts times. */
    static Instant utc(String time) {
        LocalDateTime.parse(time).atZone(java.time.ZoneOffset.UTC).toInstant()
    }

    def 'directives of a job with resources'() {
        given:
        def job = new JobDirectives('xm12-train', new Resources(4, 16384L, 2, Duration.ofMinutes(90)), 'ignored', 'gpu.q',
                'proj1', 'ignored', '/w/sched', '/w', [l: 'arch=lx-amd64', v: 'PATH'])

        expect:
        sge.directives(job) == [
                '#$ -N xm12-train',
                '#$ -o /w/sched/',
                '#$ -j y',
                '#$ -wd /w',
                '#$ -S /bin/bash',
                '#$ -pe smp 4',
                '#$ -l h_vmem=4096M',
                '#$ -l h_rt=01:30:00',
                '#$ -l gpu=2',
                '#$ -q gpu.q',
                '#$ -P proj1',
                '#$ -l arch=lx-amd64',
                '#$ -v PATH']
    }

    def 'a job without resources asks for none; memory is per slot, rounded up'() {
        expect:
        sge.directives(new JobDirectives('xm1-a', Resources.DEFAULT, null, null, null, null, '/s', '/w', [:])) ==
                ['#$ -N xm1-a', '#$ -o /s/', '#$ -j y', '#$ -wd /w', '#$ -S /bin/bash']
        sge.directives(new JobDirectives('xm1-a', new Resources(3, 1000L, null, null), null, null, null, null, '/s', '/w', [:]))
                .findAll { it.contains('-l') || it.contains('-pe') } == ['#$ -pe smp 3', '#$ -l h_vmem=334M']
    }

    def 'a directive value with white space is refused'() {
        when:
        sge.directives(new JobDirectives('xm1-a', Resources.DEFAULT, null, 'all.q\n#$ -q other', null, null, '/s', '/w', [:]))

        then:
        thrown(UserError)
    }

    def 'an array with holds and a task limit'() {
        given:
        def s = new ArraySubmission('/w/jobs/eval.sh', 'xm3-eval', 1000, 1, 500, 8, [
                new ArraySubmission.After(Dependency.When.SUCCESS, ['41', '42']),
                new ArraySubmission.After(Dependency.When.FAILURE, ['43']),
                new ArraySubmission.After(Dependency.When.ANY, ['41'])])

        expect:
        sge.submitCommand(s) == ['qsub', '-terse', '-t', '1-500', '-tc', '8', '-hold_jid', '41,42,43', '/w/jobs/eval.sh', '1000']
        sge.submitCommand(new ArraySubmission('/w/jobs/a.sh', 'xm3-a', 0, 1, 1, null, [])) ==
                ['qsub', '-terse', '-t', '1-1', '/w/jobs/a.sh', '0']
    }

    def 'a job with secrets is submitted with qsub -v naming them, no values: qsub takes those from its own environment'() {
        given:
        def submit = sge.submitCommand(new ArraySubmission('/w/jobs/a.sh', 'xm3-a', 0, 1, 2, null, []))

        expect:
        sge.exporting(submit, ['WANDB_API_KEY', 'HF_TOKEN']) ==
                ['qsub', '-v', 'WANDB_API_KEY,HF_TOKEN', '-terse', '-t', '1-2', '/w/jobs/a.sh', '0']
        sge.exporting(submit, []) == submit
        new xmrun.scheduler.slurm.SlurmScheduler().exporting(['sbatch', 'x.sh'], ['HF_TOKEN']) == ['sbatch', 'x.sh'] // --export=ALL
    }

    def 'qsub -terse prints the job id, with the task range for an array'() {
        expect:
        sge.parseSubmit(new ExecResult(0, out, '')) == id

        where:
        out               || id
        '36.1-3:1\n'      || '36'
        '27.1-1:1\n'      || '27'
        '28\n'            || '28'
    }

    def 'a refused submission fails with qsub own words'() {
        when:
        sge.parseSubmit(new ExecResult(1, '', 'Unable to run job: Job was rejected because job requests unknown queue "nosuch"\nExiting.\n'))

        then:
        def e = thrown(Failure)
        e.message.contains('unknown queue "nosuch"')
    }

    def 'task ids are ID.TASK'() {
        expect:
        sge.formatTask(new TaskKey('36', 3)) == '36.3'
        sge.parseTask('36.3') == new TaskKey('36', 3)
    }

    def 'the array limit is max_aj_tasks, and 0 (no limit) keeps arrays at the default size'() {
        expect:
        sge.limits(CONF).maxArraySize() == 75000
        sge.limits(new ExecResult(0, 'max_aj_instances 2000\nmax_aj_tasks 1000\n', '')).maxArraySize() == 1000
        sge.limits(new ExecResult(0, 'max_aj_tasks                 0\n', '')).maxArraySize() == 75000

        when:
        sge.limits(new ExecResult(1, '', 'error: commlib error: got select error (Connection refused)\n'))

        then:
        def e = thrown(Failure)
        e.message.contains('Connection refused')
    }

    def 'status is one qacct by name pattern, one qstat for all users and the configuration, times in UTC'() {
        expect:
        sge.statusCommands(['41', '42'], ['xm12-train', 'xm12-eval']) ==
                [['env', 'TZ=UTC', 'qacct', '-j', 'xm12-*'], ['env', 'TZ=UTC', 'qstat', '-xml', '-u', '*'], ['qconf', '-sconf']]
        sge.statusCommands(['41'], ['xm12-train'])[0] == ['env', 'TZ=UTC', 'qacct', '-j', 'xm12-train']
    }

    def 'real qstat -xml: running tasks one by one, waiting ones as ranges and lists'() {
        when:
        def s = status(['35', '36', '37'], NOTHING_ENDED, new ExecResult(0, resource('qstat.xml'), ''))

        then: 'job 38 is not ours'
        s.keySet() == ['35.1', '36.1', '36.2', '36.3', '37.1', '37.2'] as Set
        s.collectEntries { k, v -> [k, v.state()] } == ['35.1': FAILED, '36.1': RUNNING, '36.2': RUNNING, '36.3': PENDING,
                                                         '37.1': PENDING, '37.2': PENDING]
        s['36.1'].startedAt() == utc('2026-11-21T12:58:03')
        s['36.3'].startedAt() == null
        s['37.1'].reason() == 'qstat state hqw'

        and:
        status(['38'], NOTHING_ENDED, new ExecResult(0, resource('qstat.xml'), '')).keySet() == ['38.1', '38.2', '38.3', '38.4', '38.5'] as Set
    }

    def 'real qacct -j: exit codes, failures, deletion and time limit'() {
        when:
        def s = status(['35', '36', '37', '38', '39', '40'], new ExecResult(0, resource('qacct.txt'), ''), EMPTY_QUEUE,
                ['38.1': new UnitStatus(PENDING, null, null, null)])

        then:
        s.findAll { k, v -> k != '38.1' }.collectEntries { k, v -> [k, [v.state(), v.exitCode()]] } == [
                '35.1': [FAILED, 100], '36.1': [SUCCEEDED, 0], '36.2': [FAILED, 3], '36.3': [SUCCEEDED, 0],
                '37.1': [SUCCEEDED, 0], '37.2': [SUCCEEDED, 0], '39.1': [CANCELLED, 137], '40.1': [FAILED, 137]]
        s['36.2'].startedAt() == utc('2026-11-21T12:58:05')
        s['36.2'].endedAt() == utc('2026-11-21T12:58:09')
        s['40.1'].reason() == 'TIMEOUT'
        s['35.1'].reason().startsWith('failed 30')
        s['36.2'].reason() == null

        and: 'deleted before it started: no record'
        s['38.1'].state() == UNKNOWN
    }

    def 'a task qstat still lists is current; one in error state keeps its record exit code'() {
        when:
        def s = status(['35', '36'], new ExecResult(0, resource('qacct.txt'), ''), new ExecResult(0, resource('qstat.xml'), ''))

        then:
        s['35.1'].state() == FAILED
        s['35.1'].exitCode() == 100
        s['36.1'].state() == RUNNING
        s['36.2'].state() == RUNNING
    }

    def 'a task gone from both is missed first, and deleted once its record would have been flushed (1 s here)'() {
        given:
        Instant now = Instant.now()

        when:
        def s = status(['41', '42', '43', '44'], NOTHING_ENDED, EMPTY_QUEUE, [
                '41.1': new UnitStatus(PENDING, null, null, null),
                '42.1': new UnitStatus(UNKNOWN, null, null, now.minusSeconds(3)),
                '43.1': new UnitStatus(UNKNOWN, null, null, now.minusSeconds(7)),
                '44.1': new UnitStatus(UNKNOWN, null, now.minusSeconds(60), now.minusSeconds(30))])

        then: 'first missed now'
        s['41.1'].state() == UNKNOWN
        !s['41.1'].endedAt().isBefore(now)

        and: 'within flush time + 5 s: still waiting for a record'
        s['42.1'].state() == UNKNOWN

        and: 'past it: deleted while waiting'
        s['43.1'].state() == CANCELLED
        s['43.1'].endedAt() == now.minusSeconds(7)
        s['43.1'].exitCode() == null

        and: 'a task seen running has a record to come'
        s['44.1'].state() == UNKNOWN
    }

    def 'flush time defaults to 15 s; without accounting a missing task is never judged'() {
        given:
        Instant now = Instant.now()
        def seen = ['43.1': new UnitStatus(UNKNOWN, null, null, now.minusSeconds(7)),
                    '45.1': new UnitStatus(UNKNOWN, null, null, now.minusSeconds(25))]

        expect:
        status(['43', '45'], NOTHING_ENDED, EMPTY_QUEUE, seen, new ExecResult(0, 'max_aj_tasks 75000\n', ''))
                .collectEntries { k, v -> [k, v.state()] } == ['43.1': UNKNOWN, '45.1': CANCELLED]
        status(['43', '45'], NOTHING_ENDED, EMPTY_QUEUE, seen,
                new ExecResult(0, 'reporting_params accounting=false reporting=false flush_time=00:00:01\n', ''))
                .collectEntries { k, v -> [k, v.state()] } == ['43.1': UNKNOWN, '45.1': UNKNOWN]
    }

    def 'qstat state #code is #expected'() {
        expect:
        status(['7'], NOTHING_ENDED, qstat(code))['7.1'].state() == expected

        where:
        code    || expected
        'qw'    || PENDING
        'hqw'   || PENDING
        'Rq'    || PENDING
        'hRwq'  || PENDING
        'r'     || RUNNING
        'hr'    || RUNNING
        't'     || RUNNING
        'Rr'    || RUNNING
        'Rt'    || RUNNING
        'dr'    || RUNNING
        'dt'    || RUNNING
        's'     || RUNNING
        'ts'    || RUNNING
        'S'     || RUNNING
        'Ss'    || RUNNING
        'tS'    || RUNNING
        'T'     || RUNNING
        'tT'    || RUNNING
        'dRs'   || RUNNING
        'Eqw'   || FAILED
        'Ehqw'  || FAILED
        'EhRqw' || FAILED
        'z'     || UNKNOWN
    }

    def 'qacct failed #failed, exit_status #exit is #expected'() {
        expect:
        with(status(['7'], qacct(failed, exit), EMPTY_QUEUE)['7.1']) {
            state() == expected
            exitCode() == code
        }

        where:
        failed | exit                       || expected  | code
        0      | '0'                        || SUCCEEDED | 0
        0      | '3'                        || FAILED    | 3
        0      | '137'                      || FAILED    | 137
        100    | '137                  (Killed)' || CANCELLED | 137
        100    | '143'                      || FAILED    | 143
        37     | '137                  (Killed)' || FAILED    | 137
        30     | '100'                      || FAILED    | 100
        26     | '0'                        || FAILED    | 0
    }

    def 'a record of a task that will run again is passed over'() {
        expect:
        status(['7'], qacct(25, '0'), qstat('Rq'))['7.1'].state() == PENDING
        !status(['7'], qacct(25, '0'), EMPTY_QUEUE).containsKey('7.1')
    }

    def 'pending tasks as a stepped range'() {
        expect:
        status(['7'], NOTHING_ENDED, qstat('qw', '2-8:3,10')).keySet() == ['7.2', '7.5', '7.8', '7.10'] as Set
    }

    def 'qacct with nothing recorded yet is empty; other errors fail'() {
        expect:
        status(['7'], new ExecResult(1, 'no jobs running since startup\n', '/var/lib/gridengine/default/common/accounting: No such file or directory\n'),
                qstat('r')).keySet() == ['7.1'] as Set

        when:
        status(['7'], new ExecResult(1, '', 'error: unable to contact qmaster\n'), qstat('r'))

        then:
        def e = thrown(Failure)
        e.message.contains('unable to contact qmaster')
    }

    def 'cancel: whole jobs in one qdel, single tasks as ID -t TASK'() {
        expect:
        sge.cancelCommands(['41', '42'], []) == [['qdel', '41', '42']]
        sge.cancelCommands([], [new TaskKey('41', 3)]) == [['qdel', '41', '-t', '3']]
        sge.cancelCommands([], []) == []
    }

    def 'qdel given a job that had ended already still cancelled the rest; other refusals are failures'() {
        expect:
        sge.cancelled(new ExecResult(0, 'root has registered the job-array task 22.1 for deletion\nroot has deleted job 22\n', ''))
        sge.cancelled(new ExecResult(1, 'denied: job "31" does not exist\nroot has deleted job-array task 74.2\n', ''))
        sge.cancelled(new ExecResult(1, 'job "74" task "2" does not exist\n', ''))
        !sge.cancelled(new ExecResult(1, '', 'error: commlib error: got select error (Connection refused)\n'))
    }

    def 'tasks per node ask the smp parallel environment for one slot per CPU of every task, memory split over them'() {
        expect:
        sge.directives(new JobDirectives('xm1-a', new Resources(2, 8192L, null, null, null, 4), null, null, null, null, '/s', '/w', [:]))
                .findAll { it.startsWith('#$ -pe') || it.startsWith('#$ -l') } == ['#$ -pe smp 8', '#$ -l h_vmem=1024M']
    }
}
