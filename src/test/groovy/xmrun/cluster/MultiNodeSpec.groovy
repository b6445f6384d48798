package xmrun.cluster

import groovy.json.JsonSlurper
import spock.lang.Shared
import xmrun.app.LaunchService
import xmrun.executor.Cluster
import xmrun.executor.Submitter
import xmrun.scheduler.Scheduler
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.store.ExperimentRecord
import xmrun.store.WorkUnitRecord

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * Work units over several nodes, and job groups, on the live Slurm of the test cluster (nodes c1 and c2,
 * which share the address 127.0.0.1 and whose names do not resolve). Ray and PyTorch come from the test
 * cluster's Python (XM_PYTHON_BIN); without them these specs fail.
 */
class MultiNodeSpec extends LiveScheduler {
    @Shared
    String pythonDir

    def setupSpec() {
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
        pythonDir = LiveCluster.pythonBin()
    }

    Scheduler newScheduler() {
        new SlurmScheduler()
    }

    String clusterName() {
        'slurm'
    }

    /** The launcher's directory gets the Python programs the units run. */
    def setup() {
        ['ray_nodes.py', 'allreduce.py'].each { String name ->
            Files.write(dir.resolve(name), getClass().getResourceAsStream("/multinode/$name").bytes)
        }
    }

    String pythonSetup() {
        "setup 'export PATH=$pythonDir:\$PATH'"
    }

    String out(ExperimentRecord exp, int unit) {
        new String(stdoutOf(exp, unit), 'UTF-8')
    }

    String err(ExperimentRecord exp, int unit) {
        Path f = Path.of(exp.workDir(), 'wu', "$unit", 'stderr')
        Files.exists(f) ? f.toFile().text : ''
    }

    /** The JSON lines a program printed (symmetric-run mixes its own lines into stdout). */
    List<Map> json(ExperimentRecord exp, int unit) {
        out(exp, unit).readLines().findAll { it.startsWith('{') }.collect { new JsonSlurper().parseText(it) as Map }
    }

    List<WorkUnitRecord> timed(String what, ExperimentRecord exp, int seconds = 180) {
        long t0 = System.nanoTime()
        def units = waitForFinal(exp, seconds)
        println String.format('%s: final after %.1f s', what, (System.nanoTime() - t0) / 1e9)
        units
    }

    def 'launch srun() over 2 nodes runs one task on c1 and one on c2, each told its rank'() {
        when:
        def exp = launch('''
            experiment('tasks') {
                job('tasks') {
                    command 'bash', '-c', 'echo "rank $SLURM_PROCID of $SLURM_NTASKS node $SLURM_NODEID $SLURMD_NODENAME $1"', 'x', "it's \\$HOME"
                    resources { nodes 2; cpus 1; memory '64M'; time '5m' }
                    launch srun()
                }
            }''')
        def units = timed('srun over 2 nodes', exp)

        then:
        units*.state()*.name() == ['SUCCEEDED']
        out(exp, 1).readLines().sort() == ['rank 0 of 2 node 0 c1 it\'s $HOME', 'rank 1 of 2 node 1 c2 it\'s $HOME']
    }

    def 'launch ray() over 2 nodes gives the program a Ray cluster of 2 nodes, with a task on each'() {
        when:
        def exp = launch("""
            experiment('ray') {
                job('ray') {
                    command 'python3', '-u', 'ray_nodes.py', "it's \\\$HOME", 'two words'
                    resources { nodes 2; cpus 1; memory '2G'; time '5m' }
                    ${pythonSetup()}
                    launch ray($options)
                }
            }""")
        def units = timed("launch ray($options)", exp)

        then:
        units*.state()*.name() == ['SUCCEEDED']
        json(exp, 1) == [[nodes: 2, tasks_on: ['c1', 'c2'], driver_on: 'c1', argv: ["it's \$HOME", 'two words']]]

        where:
        options << ['', 'symmetric: true']
    }

    def 'launch torchrun(procsPerNode: 1) over 2 nodes does a gloo all_reduce across world size 2'() {
        when:
        def exp = launch("""
            experiment('torch') {
                job('torch') {
                    command 'python3', 'allreduce.py', "it's \\\$HOME"
                    resources { nodes 2; cpus 1; memory '1G'; time '5m' }
                    ${pythonSetup()}
                    launch torchrun(procsPerNode: 1)
                }
            }""")
        def units = timed('launch torchrun', exp)
        def ranks = json(exp, 1).sort { it.rank }

        then:
        units*.state()*.name() == ['SUCCEEDED']
        ranks*.rank == [0, 1]
        ranks.every { it.world == 2 && it.sum == 1.0 && it.argv == ["it's \$HOME"] }
        ranks*.node.sort() == ['c1', 'c2']
    }

    static final String LEARNER = 'echo "start $(date +%s.%N) end $(sleep 3; date +%s.%N) node $SLURMD_NODENAME cpus $SLURM_CPUS_ON_NODE ' +
            'group $XM_GROUP $1"'
    static final String ACTOR = 'echo "start $(date +%s.%N) end $(sleep 2; date +%s.%N) node $SLURMD_NODENAME cpus $SLURM_CPUS_ON_NODE ' +
            'group $XM_GROUP $1 learner at $XM_HOST_LEARNER"'

    def 'a 2-member group runs its members at the same time, each with its own CPUs, and the actor reads where the learner is'() {
        when:
        def exp = launch("""
            experiment('rl') {
                group('rl') {
                    job('learner') { command 'bash', '-c', '${LEARNER}', 'x'; resources { cpus 2; memory '64M'; time '5m' } }
                    job('actor')   { command 'bash', '-c', '${ACTOR}', 'x';   resources { cpus 1; memory '64M'; time '5m' } }
                }
            }""")
        def units = timed('group of 2', exp)
        def (learner, actor) = [out(exp, 1), out(exp, 2)].collect { it.trim().split(' ') }
        String learnerAddress = ['scontrol', 'show', 'node', learner[5]].execute().text.find(/NodeAddr=(\S+)/) { m, a -> a }

        then: 'one heterogeneous job, its components the members'
        transport.count('sbatch') == 1
        units*.schedulerId()*.replaceAll(/^\d+/, '') == ['+0', '+1']
        units*.state()*.name() == ['SUCCEEDED', 'SUCCEEDED']

        and: 'they overlap in time'
        (learner[1] as BigDecimal) < (actor[3] as BigDecimal)
        (actor[1] as BigDecimal) < (learner[3] as BigDecimal)

        and: 'each has its own CPUs; the actor knows the learner by its node address'
        learner[7] == '2'
        actor[7] == '1'
        learner[9] == 'rl' && actor[9] == 'rl'
        actor[-1] == learnerAddress
    }

    def 'a group member with launch ray() gets a Ray cluster on its own nodes, and its driver runs there too'() {
        when:
        def exp = launch("""
            experiment('rlray') {
                group('rl') {
                    job('learner') { command 'bash', '-c', 'echo "learner on \$SLURMD_NODENAME"'; resources { cpus 2; memory '64M' } }
                    job('actor') {
                        command 'python3', '-u', 'ray_nodes.py', "it's \\\$HOME"
                        resources { cpus 1; memory '2G'; time '5m' }
                        ${pythonSetup()}
                        launch ray()
                    }
                }
            }""")
        def units = timed('group member with launch ray()', exp)
        String learnerNode = out(exp, 1).trim().split(' ')[-1]

        then:
        units*.state()*.name() == ['SUCCEEDED', 'SUCCEEDED']
        def actor = json(exp, 2)
        actor.size() == 1
        actor[0].nodes == 1
        actor[0].tasks_on == [actor[0].driver_on]
        actor[0].driver_on != learnerNode
        actor[0].argv == ["it's \$HOME"]
    }

    def 'a 3-point sweep over a group is 3 heterogeneous jobs, one unit of each member per point'() {
        when:
        def exp = launch('''
            experiment('rl3') {
                group('rl') {
                    sweep { seed 1..3 }
                    job('learner') { command 'bash', '-c', 'echo "learner $1"', 'x'; resources { cpus 2; memory '64M' } }
                    job('actor')   { command 'bash', '-c', 'echo "actor $1"', 'x';   resources { cpus 1; memory '64M' } }
                }
            }''')
        def units = timed('3-point group sweep', exp)
        def leaders = units*.schedulerId().collect { it.split('\\+')[0] }

        then:
        transport.count('sbatch') == 3
        leaders.unique(false).size() == 3
        leaders[0..2] == leaders[3..5]
        units*.schedulerId().collect { it.split('\\+')[1] } == ['0', '0', '0', '1', '1', '1']
        units*.state()*.name() == ['SUCCEEDED'] * 6
        (1..6).collect { out(exp, it).trim() } == (1..3).collect { "learner --seed=$it" } + (1..3).collect { "actor --seed=$it" }
    }

    def 'a member that fails keeps its own exit code, the other succeeds, and a job after the group does not run'() {
        when:
        def exp = launch('''
            experiment('rlfail') {
                group('rl') {
                    job('learner') { command 'true' }
                    job('actor')   { command 'bash', '-c', 'exit 3' }
                }
                job('eval') { command 'true'; after 'rl' }
            }''')
        def units = timed('failing member', exp)

        then:
        units*.state()*.name() == ['SUCCEEDED', 'FAILED', 'CANCELLED']
        units[0].exitCode() == 0
        units[1].exitCode() == 3
    }

    def 'cancel of a group stops both members with one scancel; cancel of one member stops only it'() {
        given:
        def exp = launch('''
            experiment('rlcancel') {
                sweep { point 1, 2 }
                group('rl') {
                    job('learner') { command 'bash', '-c', 'sleep $(( ${1#--point=} == 1 ? 300 : 20 ))', 'x'; resources { memory '32M' } }
                    job('actor')   { command 'sleep', '300'; resources { memory '32M' } }
                }
            }''')
        long deadline = System.currentTimeMillis() + 60_000
        while (!status().refresh(exp).every { it.state().name() == 'RUNNING' }) {
            assert System.currentTimeMillis() < deadline
            sleep(200)
        }
        List<WorkUnitRecord> units = status().refresh(exp)
        transport.reset()

        when: 'point 1: the whole group'
        status().cancel(exp, [units[0], units[2]], Duration.ofSeconds(30))

        then:
        transport.count('scancel') == 1
        transport.calls.find { CountingTransport.programOf(it) == 'scancel' }[1] ==~ /\d+/

        when: 'point 2: only its actor'
        transport.reset()
        status().cancel(exp, [units[3]], Duration.ofSeconds(30))
        def end = timed('after cancelling', exp, 60)

        then:
        transport.calls.find { CountingTransport.programOf(it) == 'scancel' }[1] ==~ /\d+\+1/
        end*.state()*.name() == ['CANCELLED', 'SUCCEEDED', 'CANCELLED', 'CANCELLED']
    }

    def 'the heterogeneous jobs of a group are found again for a resume, each point with its members'() {
        given: 'a group of 3 points, held in the queue'
        def exp = launch('''
            experiment('held') {
                group('rl') {
                    sweep { seed 1..3 }
                    job('learner') { command 'true'; option 'begin', 'now+1hour' }
                    job('actor')   { command 'true'; option 'begin', 'now+1hour' }
                }
            }''')
        Map<Integer, String> stored = store.workUnits(exp.id()).collectEntries { [it.id(), it.schedulerId()] }
        def service = new LaunchService(home, { new Cluster(clusterName(), newScheduler(), transport, null) })
        def plan = service.prepare(dir.resolve('launcher.xm.groovy'), 'launcher.xm.groovy', [], clusterName()).plan()

        when:
        transport.reset()
        Map<Integer, String> found = new Submitter(new Cluster(clusterName(), newScheduler(), transport, null)).findSubmitted(plan, exp)

        then: 'one squeue finds all six members'
        transport.count('squeue') == 1
        found == stored
        found.size() == 6

        cleanup:
        status().cancel(exp, store.workUnits(exp.id()), Duration.ofSeconds(30))
    }
}
