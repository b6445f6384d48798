package xmrun.scheduler

import spock.lang.Specification
import xmrun.Failure
import xmrun.UserError
import xmrun.model.Dependency
import xmrun.model.Resources
import xmrun.scheduler.slurm.SlurmOutput
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.state.WorkUnitState
import xmrun.transport.ExecResult

import java.time.Duration
import java.time.Instant

class SlurmSchedulerSpec extends Specification {
    def slurm = new SlurmScheduler()

    static ExecResult ok(String out) { new ExecResult(0, out, '') }

    def 'directives come from resources, placement and pass-through options'() {
        given:
        def job = new JobDirectives('xm7-train', new Resources(4, 16384L, 1, Duration.ofMinutes(90)), 'gpu', null, 'lab', 'high',
                '/w/sched', '/w', [constraint: 'a100', 'exclusive': 'user'])

        expect:
        slurm.directives(job) == ['#SBATCH --job-name=xm7-train', '#SBATCH --output=/w/sched/%x-%A_%a.out', '#SBATCH --chdir=/w',
                                  '#SBATCH --cpus-per-task=4', '#SBATCH --mem=16384M', '#SBATCH --gpus=1', '#SBATCH --time=01:30:00',
                                  '#SBATCH --partition=gpu', '#SBATCH --account=lab', '#SBATCH --qos=high',
                                  '#SBATCH --constraint=a100', '#SBATCH --exclusive=user']
    }

    def 'a directive value with a newline is refused, not written into the script'() {
        when:
        slurm.directives(new JobDirectives('n', Resources.DEFAULT, "main\n#SBATCH --x", null, null, null, '/s', '/w', [:]))

        then:
        UserError e = thrown()
        e.message == "partition 'main\\n#SBATCH --x' cannot contain spaces or newlines: it goes into a scheduler directive"
    }

    def 'an array submission names its range, limit and dependencies as argv'() {
        given:
        def after = [new ArraySubmission.After(Dependency.When.SUCCESS, ['11', '12']), new ArraySubmission.After(Dependency.When.ANY, ['13'])]

        expect:
        slurm.submitCommand(new ArraySubmission('/w/jobs/t.sh', 'xm1-t', 1000, 0, 499, 4, after)) ==
                ['sbatch', '--parsable', '--array=0-499%4', '--comment=xmrun-offset=1000,tasks=500',
                 '--dependency=afterok:11:12,afterany:13', '--kill-on-invalid-dep=yes', '/w/jobs/t.sh', '1000']
        slurm.submitCommand(new ArraySubmission('/w/jobs/t.sh', 'xm1-t', 0, 0, 0, null, [])) ==
                ['sbatch', '--parsable', '--array=0-0', '--comment=xmrun-offset=0,tasks=1', '/w/jobs/t.sh', '0']
    }

    def 'sbatch output gives the job id, or the scheduler words when it says no'() {
        expect:
        slurm.parseSubmit(ok('123\n')) == '123'
        slurm.parseSubmit(ok('124;cluster\n')) == '124'

        when:
        slurm.parseSubmit(new ExecResult(1, '', 'sbatch: error: invalid partition specified: nope\n'))

        then:
        Failure e = thrown()
        e.message == 'Slurm does not know the partition: sbatch refused the job: sbatch: error: invalid partition specified: nope'
    }

    def 'MaxArraySize is read from scontrol show config'() {
        expect:
        slurm.limits(ok('MaxArrayCount           = 0\nMaxArraySize            = 1001\nMaxJobCount = 10000\n')).maxArraySize() == 1001
    }

    def 'Slurm state #slurmState is #state'() {
        expect:
        slurm.parseStatus(['5'], [ok("5_0|$slurmState|None|N/A|N/A\n"), new ExecResult(1, '', 'accounting storage is disabled')], [:])
                .get(new TaskKey('5', 0)).state() == state

        where:
        slurmState      || state
        'PENDING'       || WorkUnitState.PENDING
        'CONFIGURING'   || WorkUnitState.PENDING
        'RUNNING'       || WorkUnitState.RUNNING
        'COMPLETING'    || WorkUnitState.RUNNING
        'SUSPENDED'     || WorkUnitState.RUNNING
        'COMPLETED'     || WorkUnitState.SUCCEEDED
        'FAILED'        || WorkUnitState.FAILED
        'TIMEOUT'       || WorkUnitState.FAILED
        'OUT_OF_MEMORY' || WorkUnitState.FAILED
        'NODE_FAIL'     || WorkUnitState.FAILED
        'PREEMPTED'     || WorkUnitState.FAILED
        'CANCELLED'     || WorkUnitState.CANCELLED
        'WEIRD_NEW'     || WorkUnitState.UNKNOWN
    }

    def 'sacct ranges of pending tasks, exit codes and signals are read per task'() {
        given:
        def squeue = ok('')
        def sacct = ok('''7_0|COMPLETED|0:0|1795260000|1795260005|None
                         |7_1|FAILED|3:0|1795260000|1795260005|None
                         |7_2|CANCELLED by 0|0:15|1795260000|1795260005|None
                         |7_[3-5,8%2]|PENDING|0:0|Unknown|Unknown|Priority
                         |99_0|COMPLETED|0:0|None|None|None
                         |'''.stripMargin())

        when:
        def states = slurm.parseStatus(['7'], [squeue, sacct], [:])

        then:
        states.keySet()*.taskId() == [0, 1, 2, 3, 4, 5, 8]
        states[new TaskKey('7', 1)].exitCode() == 3
        states[new TaskKey('7', 2)].state() == WorkUnitState.CANCELLED
        states[new TaskKey('7', 2)].exitCode() == 143
        states[new TaskKey('7', 5)].state() == WorkUnitState.PENDING
        states[new TaskKey('7', 1)].startedAt() == java.time.Instant.ofEpochSecond(1795260000)
        states[new TaskKey('7', 1)].endedAt() == java.time.Instant.ofEpochSecond(1795260005)
        states[new TaskKey('7', 5)].startedAt() == null
    }

    def 'sacct is asked only when squeue no longer shows an open task pending or running'() {
        given:
        def open = [(new TaskKey('7', 0)): null, (new TaskKey('7', 1)): null]
        def squeue = ok(lines.join('\n'))

        expect:
        slurm.statusCommands(['7'], ['xm3-t'])*.get(2) == ['squeue']
        slurm.statusFollowUpCommands(['7'], [squeue], open)*.get(2) == asked

        where:
        lines                                                || asked
        ['7_0|PENDING|Priority|N/A|N/A', '7_1|RUNNING|None|1796084720|N/A'] || []
        ['7_0|PENDING|Priority|N/A|N/A']                     || ['sacct']
        ['7_0|PENDING|Priority|N/A|N/A', '7_1|COMPLETED|None|1796084720|1796084730'] || ['sacct']
        ['7_0|PENDING|DependencyNeverSatisfied|N/A|N/A', '7_1|RUNNING|None|1796084720|N/A'] || ['sacct']
    }

    def 'the tasks squeue shows live are read from squeue alone'() {
        expect:
        slurm.parseStatus(['7'], [ok('7_0|PENDING|Priority|N/A|N/A\n7_1|RUNNING|None|1796084720|N/A\n')], [:])
                .collectEntries { k, v -> [slurm.formatTask(k), [v.state(), v.reason()]] } ==
                ['7_0': [WorkUnitState.PENDING, 'Priority'], '7_1': [WorkUnitState.RUNNING, null]]
    }

    def 'a failure squeue sees before sacct has it stays open until the exit code arrives'() {
        given:
        String now = java.time.Instant.now().epochSecond.toString()

        when:
        def states = slurm.parseStatus(['8'], [ok("8_0|FAILED|NonZeroExitCode|$now|$now\n"), ok('')], [:])

        then:
        states[new TaskKey('8', 0)].state() == WorkUnitState.RUNNING
    }

    def 'the reason of a #state unit with reason field #field and exit #exit is #expected'() {
        expect:
        SlurmOutput.reason(state, field, exit) == expected

        where:
        state            | field                      | exit   || expected
        'PENDING'        | 'Priority'                 | null   || 'Priority'
        'PENDING'        | 'QOSMaxJobsPerUserLimit'   | null   || 'QOSMaxJobsPerUserLimit'
        'PENDING'        | 'None'                     | null   || null
        'PENDING'        | 'DependencyNeverSatisfied' | null   || 'DependencyNeverSatisfied'
        'RUNNING'        | 'None'                     | null   || null
        'COMPLETED'      | 'None'                     | '0:0'  || null
        'FAILED'         | 'NonZeroExitCode'          | '3:0'  || null
        'FAILED'         | 'None'                     | '0:9'  || 'signal 9'
        'TIMEOUT'        | 'None'                     | '0:15' || 'TIMEOUT'
        'OUT_OF_MEMORY'  | 'None'                     | '0:125'|| 'OUT_OF_MEMORY'
        'NODE_FAIL'      | 'None'                     | '0:0'  || 'NODE_FAIL'
        'PREEMPTED'      | 'None'                     | '0:0'  || 'PREEMPTED'
        'CANCELLED'      | 'Dependency'               | '0:0'  || 'DependencyNeverSatisfied'
        'CANCELLED by 0' | 'None'                     | '0:15' || null
    }

    def 'a reason sacct does not keep is taken from squeue, and a unit that never started has no exit code'() {
        when:
        def s = slurm.parseStatus(['688'], [ok('688_[0]|CANCELLED|DependencyNeverSatisfied|N/A|1796084720\n'),
                                            ok('688_[0]|CANCELLED|0:0|None|1796084720|None\n')], [:])[new TaskKey('688', 0)]

        then:
        s.state() == WorkUnitState.CANCELLED
        s.reason() == 'DependencyNeverSatisfied'
        s.exitCode() == null
    }

    def 'a pending task whose dependency can never be met counts as cancelled'() {
        expect:
        slurm.parseStatus(['9'], [ok('9_0|PENDING|DependencyNeverSatisfied|N/A|N/A\n'), ok('')], [:])[new TaskKey('9', 0)].state() ==
                WorkUnitState.CANCELLED
    }

    def 'arrays are found again by job name and the offset in their comment'() {
        expect:
        slurm.parseFoundArrays([ok('41|xm3-train|xmrun-offset=1000,tasks=500|/w/jobs/train.sh 1000\n42|xm3-eval|(null)|/w/jobs/eval.sh 0\n'
                + '41|xm3-train|xmrun-offset=1000,tasks=500|/w/jobs/train.sh 1000\n')]) ==
                [new Scheduler.FoundArray('xm3-train', '41', 1000, 500, '/w/jobs/train.sh')]
    }

    def 'one scancel takes whole jobs and single tasks'() {
        expect:
        slurm.cancelCommands(['1', '2'], [new TaskKey('3', 4)]) == [['scancel', '1', '2', '3_4']]
        slurm.cancelCommands([], []) == []
    }

    def 'a unit over several nodes asks for nodes and tasks per node, memory and GPUs per node'() {
        expect:
        slurm.directives(new JobDirectives('n', new Resources(cpus, mem, gpus, null, nodes, tasks), null, null, null, null, '/s', '/w', [:]))
                .drop(3) == expected

        where:
        cpus | mem    | gpus | nodes | tasks || expected
        4    | 8192L  | 2    | 2     | null  || ['#SBATCH --nodes=2', '#SBATCH --ntasks-per-node=1', '#SBATCH --cpus-per-task=4', '#SBATCH --mem=8192M', '#SBATCH --gpus-per-node=2']
        2    | null   | 8    | 4     | 8     || ['#SBATCH --nodes=4', '#SBATCH --ntasks-per-node=8', '#SBATCH --cpus-per-task=2', '#SBATCH --gpus-per-node=8']
        1    | null   | 1    | null  | 4     || ['#SBATCH --nodes=1', '#SBATCH --ntasks-per-node=4', '#SBATCH --cpus-per-task=1', '#SBATCH --gpus=1']
        null | null   | null | 1     | null  || ['#SBATCH --nodes=1', '#SBATCH --ntasks-per-node=1']
    }

    def 'a group is one heterogeneous job: each member a component, separated by hetjob lines, not an array'() {
        given:
        def members = [new JobDirectives('xm1-learner', new Resources(4, null, 1, null), null, null, null, null, '/w/sched', '/w', [:]),
                       new JobDirectives('xm1-actor', new Resources(1, null, null, null, 2, null), 'cpu', null, null, null, '/w/sched', '/w', [:])]

        expect:
        slurm.groupDirectives(members) == [
                '#SBATCH --job-name=xm1-learner', '#SBATCH --output=/w/sched/%x-%j.out', '#SBATCH --chdir=/w', '#SBATCH --cpus-per-task=4',
                '#SBATCH --gpus=1',
                '#SBATCH hetjob',
                '#SBATCH --job-name=xm1-actor', '#SBATCH --output=/w/sched/%x-%j.out', '#SBATCH --chdir=/w', '#SBATCH --nodes=2',
                '#SBATCH --ntasks-per-node=1', '#SBATCH --cpus-per-task=1', '#SBATCH --partition=cpu']
        slurm.submitGroupCommand(new GroupSubmission('/w/jobs/rl.sh', 'xm1-learner', 2,
                [new ArraySubmission.After(Dependency.When.SUCCESS, ['11'])])) ==
                ['sbatch', '--parsable', '--comment=xmrun-offset=2,tasks=1', '--dependency=afterok:11', '--kill-on-invalid-dep=yes',
                 '/w/jobs/rl.sh', '2']
        slurm.formatTask(slurm.groupMember('39', 1)) == '39+1'
        slurm.parseTask('39+1') == TaskKey.component('39', 1)
        slurm.groupMemberLauncher(1, new Resources(2, null, null, null), ['--label']) ==
                ['srun', '--het-group=1', '--nodes=1', '--ntasks=1', '--cpus-per-task=2', '--label']
    }

    def 'the components of a heterogeneous job are read as its members, from squeue and sacct'() {
        given:
        def squeue = ok('39+0|RUNNING|None|1795260000|N/A\n39+1|RUNNING|None|1795260000|N/A\n41+0|PENDING|Resources|N/A|N/A\n')
        def sacct = ok('39+0|FAILED|3:0|1795260000|1795260005|None\n39+1|FAILED|3:0|1795260000|1795260005|None\n' +
                '40|COMPLETED|0:0|1795260000|1795260005|None\n')

        when:
        def states = slurm.parseStatus(['39', '41'], [squeue, sacct], [:])

        then:
        states.keySet() as List == [TaskKey.component('39', 0), TaskKey.component('39', 1), TaskKey.component('41', 0)]
        states[TaskKey.component('39', 1)].state() == WorkUnitState.FAILED
        states[TaskKey.component('39', 1)].exitCode() == 3
        states[TaskKey.component('41', 0)].reason() == 'Resources'
    }

    def 'scancel takes a whole group by its job id, and one member as its component'() {
        expect:
        slurm.cancelCommands(['39'], [TaskKey.component('45', 1)]) == [['scancel', '39', '45+1']]
    }

    def "a start estimate asks sbatch --test-only with the job's own directives, its paths left out, a group's members as components"() {
        given:
        def train = new JobDirectives('xm0-train', new Resources(4, 16384L, 1, Duration.ofMinutes(90)), 'gpu', null, 'lab', null,
                null, null, [constraint: 'a100'], true)
        def actor = new JobDirectives('xm0-actor', new Resources(2, null, null, null), null, null, null, null, null, null, [:])

        expect:
        slurm.startEstimateCommand([train]) == ['env', 'SLURM_TIME_FORMAT=%s', 'sbatch', '--test-only', '--job-name=xm0-train',
                                                '--cpus-per-task=4', '--mem=16384M', '--gpus=1', '--time=01:30:00', '--partition=gpu',
                                                '--account=lab', '--no-requeue', '--constraint=a100', '--wrap=true']
        slurm.startEstimateCommand([train, actor]).dropWhile { it != ':' } == [':', '--job-name=xm0-actor', '--cpus-per-task=2', '--wrap=true']
    }

    def 'sbatch --test-only answers #what'() {
        expect:
        slurm.parseStartEstimate(new ExecResult(rc, '', stderr)) == estimate

        where:
        what                                    | rc | stderr                                                                                          || estimate
        'a time, in seconds since the epoch'    | 0  | 'sbatch: Job 1369 to start at 1796088622 using 1 processors on nodes c1 in partition debug\n' || StartEstimate.at(Instant.ofEpochSecond(1796088622))
        'a time for a heterogeneous job'        | 0  | 'sbatch: Job 1371 to start at 1796088623 using 2 processors on c1\n'                           || StartEstimate.at(Instant.ofEpochSecond(1796088623))
        'no time: it takes the job, says not when' | 0 | ''                                                                                             || StartEstimate.UNKNOWN
        'a request it can never grant'          | 1  | 'allocation failure: Requested node configuration is not available\n'                          || StartEstimate.refused('allocation failure: Requested node configuration is not available')
        'an unknown partition, in its words'    | 1  | 'sbatch: error: invalid partition specified: nosuch\nallocation failure: Invalid partition name specified\n' || StartEstimate.refused('invalid partition specified: nosuch; allocation failure: Invalid partition name specified')
        'nothing at all'                        | 1  | ''                                                                                              || StartEstimate.refused('sbatch --test-only failed (exit 1)')
    }
}
