package xmrun.dsl

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError
import xmrun.model.Dependency
import xmrun.model.Experiment
import xmrun.model.Launch
import xmrun.plan.Plan

import java.nio.file.Path

/** nodes, tasksPerNode, the launch helpers and job groups, as a launcher writes them. */
class MultiNodeDslSpec extends Specification {
    @TempDir
    Path dir

    Experiment load(String text) {
        Path file = dir.resolve('mn.xm.groovy')
        file.toFile().text = text
        LauncherLoader.load(file, 'mn.xm.groovy')
    }

    String errorOf(String text) {
        try {
            load(text)
            'no error'
        } catch (UserError e) {
            e.message
        }
    }

    def 'resources take nodes and tasksPerNode; cpus stay per task'() {
        when:
        def r = load('''
            experiment('x') {
                job('a') { command 'true'; resources { nodes 4; tasksPerNode 8; cpus 2; memory '64G'; gpus 8 } }
            }''').job('a').resources()

        then:
        r.nodes() == 4
        r.tasksPerNode() == 8
        r.cpus() == 2
        r.multiNode()
        r.memoryMib() == 64 * 1024
        r.gpus() == 8
    }

    def 'launch takes each helper with its options: #written'() {
        expect:
        load("experiment('x') { job('a') { command 'true'; resources { gpus 2 }; $written } }").job('a').launch() == expected

        where:
        written                                              || expected
        ''                                                   || Launch.DIRECT
        'launch ray()'                                       || new Launch.Ray(null, false, false, at(1))
        'launch ray(symmetric: true, dashboard: true, port: 26000)' || new Launch.Ray(26000, true, true, at(1))
        'launch torchrun(procsPerNode: 4)'                   || new Launch.Torchrun(4, null, at(1))
        'launch torchrun()'                                  || new Launch.Torchrun(2, null, at(1)) // a process per GPU
        'launch srun()'                                      || new Launch.Srun([], at(1))
        "launch srun('--cpu-bind=cores', '--label')"         || new Launch.Srun(['--cpu-bind=cores', '--label'], at(1))
    }

    static xmrun.model.SourceRef at(int line) {
        new xmrun.model.SourceRef('mn.xm.groovy', line)
    }

    def 'srun as a job word still means running the program through srun, and is no launch helper'() {
        when:
        def job = load("experiment('x') { job('a') { command 'true'; srun '--cpu-bind=cores' } }").job('a')

        then:
        job.scheduler().srun() == ['--cpu-bind=cores']
        job.launch() == Launch.DIRECT
    }

    def 'a group makes its members share its sweep and its after, and after naming the group waits for all members'() {
        when:
        Experiment e = load('''
            experiment('x') {
                job('prep') { command 'true' }
                group('rl') {
                    sweep { seed 1..3 }
                    after 'prep'
                    job('learner') { command 'learner'; resources { cpus 4 } }
                    job('actor') { command 'actor'; resources { cpus 1 } }
                }
                job('eval') { command 'eval'; after 'rl', when: 'any' }
            }''')
        def plan = new Plan(e)

        then:
        e.groups()*.name() == ['rl']
        e.groups()[0].members() == ['learner', 'actor']
        e.job('learner').group() == 'rl'
        e.job('learner').workUnitCount() == 3
        e.job('actor').workUnitCount() == 3
        e.job('actor').after()*.job() == ['prep']
        e.job('eval').after()*.job() == ['learner', 'actor']
        e.job('eval').after()*.when() == [Dependency.When.ANY] * 2
        plan.allWorkUnits()*.id() == (1..8).toList()
        plan.allWorkUnits()*.argv()[1..6] == (1..3).collect { ['learner', "--seed=$it"] } + (1..3).collect { ['actor', "--seed=$it"] }
    }

    def 'the experiment sweep is the outer axes of a group sweep, as of a job sweep'() {
        when:
        Experiment e = load('''
            experiment('x') {
                sweep { seed 0, 1 }
                group('rl') {
                    sweep { lr 1, 2, 3 }
                    job('learner') { command 'learner' }
                    job('actor') { command 'actor' }
                }
            }''')

        then:
        e.job('actor').workUnitCount() == 6
        new Plan(e).workUnits(e.job('actor'))*.argv()[0..1] == [['actor', '--seed=0', '--lr=1'], ['actor', '--seed=0', '--lr=2']]
    }

    static String group(String body) {
        "experiment('x') {\n  group('rl') {\n$body\n  }\n}"
    }

    def 'a bad multi-node or group launcher is one FILE:LINE line: #message'() {
        expect:
        errorOf(launcher) == message

        where:
        launcher || message
        group("    job('learner') { command 'true' }") || "mn.xm.groovy:2: group 'rl' has one job; a group starts two or more jobs together (a single job needs no group)"
        group("    sweep { seed 1 }") || "mn.xm.groovy:2: group 'rl' has no jobs; a group starts two or more jobs together (a single job needs no group)"
        group("    job('learner') { command 'true' }\n    job('actor') {\n      command 'true'\n      after 'learner'\n    }") || "mn.xm.groovy:6: job 'actor' is a member of group 'rl', whose members start together: put 'after' on group('rl') { }"
        "experiment('x') {\n  job('prep') { command 'true' }\n  group('rl') {\n    job('learner') { command 'true' }\n    job('actor') {\n      command 'true'\n      after 'prep'\n    }\n  }\n}" || "mn.xm.groovy:7: job 'actor' is a member of group 'rl', whose members start together: put 'after' on group('rl') { }"
        group("    job('learner') { command 'true' }\n    job('actor') {\n      command 'true'\n      sweep { seed 1, 2 }\n    }") || "mn.xm.groovy:6: job 'actor' is a member of group 'rl', whose members start together: put 'sweep' on group('rl') { }"
        group("    job('learner') { command 'true' }\n    job('actor') {\n      command 'true'\n      maxParallel 1\n    }") || "mn.xm.groovy:6: 'maxParallel' shapes arrays; job 'actor' is a member of group 'rl', which goes out once per sweep point"
        group("    after 'rl'\n    job('a') { command 'true' }\n    job('b') { command 'true' }") || "mn.xm.groovy:3: group 'rl' cannot run after itself"
        group("    after 'a'\n    job('a') { command 'true' }\n    job('b') { command 'true' }") || "mn.xm.groovy:3: group 'rl' cannot run after its own member 'a'"
        group("    job('a-b') { command 'true' }\n    job('a_b') { command 'true' }") || "mn.xm.groovy:4: jobs 'a-b' and 'a_b' of group 'rl' would both be told their host as XM_HOST_A_B; rename one"
        "experiment('x') {\n  job('rl') { command 'true' }\n  group('rl') {\n    job('a') { command 'true' }\n    job('b') { command 'true' }\n  }\n}" || "mn.xm.groovy:3: group 'rl' has the name of job 'rl' (declared at line 2); 'after' could not tell them apart"
        "experiment('x') {\n  group('rl') {\n    job('a') { command 'true' }\n    job('b') { command 'true' }\n  }\n  job('c') {\n    command 'true'\n    after 'lr'\n  }\n}" || "mn.xm.groovy:8: job 'c' runs after unknown job 'lr'; did you mean 'rl'?"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    launch ray()\n    launch torchrun()\n  }\n}" || "mn.xm.groovy:5: job 'a' already has launch ray() (line 4); a program starts one way"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    launch 'ray'\n  }\n}" || "mn.xm.groovy:4: 'launch' takes ray(), torchrun(procsPerNode: N) or srun(), got 'ray' (String)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    launch ray(symetric: true)\n  }\n}" || "mn.xm.groovy:4: ray() takes port:, dashboard:, symmetric: not 'symetric:'; did you mean 'symmetric'?"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    launch ray(symmetric: 'yes')\n  }\n}" || "mn.xm.groovy:4: ray(symmetric:) takes true or false, got 'yes' (String)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    launch ray(port: 80)\n  }\n}" || "mn.xm.groovy:4: 'ray(port:)' expects a whole number of at least 1024, got 80 (Integer)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    launch torchrun(port: 65500)\n  }\n}" || "mn.xm.groovy:4: torchrun(port:) must be 1024-65435 (it and the 99 ports after it), got 65500"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    launch torchrun(procsPerNode: 0)\n  }\n}" || "mn.xm.groovy:4: 'procsPerNode' expects a whole number of at least 1, got 0 (Integer)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    srun '--label'\n    launch torchrun()\n  }\n}" || "mn.xm.groovy:4: job 'a' has srun '...', which runs the program through srun, and launch torchrun(), which starts it its own way; keep one"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    srun '--label'\n    launch srun()\n  }\n}" || "mn.xm.groovy:4: job 'a' has both srun '...' and launch srun(); give the options to launch srun('...') alone"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    resources { nodes 0 }\n  }\n}" || "mn.xm.groovy:4: 'nodes' expects a whole number of at least 1, got 0 (Integer)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    resources { tasksPerNod 2 }\n  }\n}" || "mn.xm.groovy:4: unknown word 'tasksPerNod' in resources { }; did you mean 'tasksPerNode'?"
        "experiment('x') {\n  grop('rl') { }\n}" || "mn.xm.groovy:2: unknown word 'grop' in experiment('x') { }; did you mean 'group'?"
    }
}
