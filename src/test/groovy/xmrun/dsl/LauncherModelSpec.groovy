package xmrun.dsl

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.model.Dependency
import xmrun.model.Experiment
import xmrun.plan.Plan

import java.nio.file.Path
import java.time.Duration

class LauncherModelSpec extends Specification {
    @TempDir
    Path dir

    Experiment load(String text) {
        Path file = dir.resolve('ok.xm.groovy')
        file.toFile().text = text
        LauncherLoader.load(file, 'ok.xm.groovy')
    }

    def 'the design example evaluates to the model it describes'() {
        when:
        Experiment e = load('''
            experiment('mnist') {
                cluster 'local'
                job('train') {
                    command 'python3', '-m', 'mnist.train'
                    args epochs: 10, tag: 'first try'
                    env WANDB_PROJECT: 'mnist'
                    resources { cpus 4; memory '16G'; gpus 1; time '2h' }
                    sweep {
                        lr   1e-3, 3e-4
                        seed 0..4
                    }
                }
                job('eval') {
                    command 'python3', '-m', 'mnist.eval'
                    after 'train'
                }
            }''')
        def train = e.job('train')

        then:
        e.name() == 'mnist'
        e.cluster() == 'local'
        train.command() == ['python3', '-m', 'mnist.train']
        train.args() == ['--epochs=10', '--tag=first try']
        train.env() == [WANDB_PROJECT: 'mnist']
        train.resources().cpus() == 4
        train.resources().memoryMib() == 16 * 1024
        train.resources().gpus() == 1
        train.resources().time() == Duration.ofHours(2)
        train.workUnitCount() == 10
        e.job('eval').after()*.job() == ['train']
        e.job('eval').after()*.when() == [Dependency.When.SUCCESS]
        e.workUnitCount() == 11
    }

    def 'sweep values become named args after the job args, one argv element each'() {
        given:
        Plan plan = new Plan(load('''
            experiment('x') {
                job('t') {
                    command 'prog'
                    args 'data dir', epochs: 3
                    sweep { lr 1e-3, 3e-4; seed 0..1 }
                }
            }'''))

        expect:
        plan.allWorkUnits()*.argv() == [
                ['prog', 'data dir', '--epochs=3', '--lr=0.001', '--seed=0'],
                ['prog', 'data dir', '--epochs=3', '--lr=0.001', '--seed=1'],
                ['prog', 'data dir', '--epochs=3', '--lr=0.0003', '--seed=0'],
                ['prog', 'data dir', '--epochs=3', '--lr=0.0003', '--seed=1'],
        ]
        plan.allWorkUnits()*.id() == [1, 2, 3, 4]
    }

    def 'after takes when: any and when: failure, and dependencies are submitted first'() {
        given:
        Experiment e = load('''
            experiment('x') {
                job('report') { command 'r'; after 'train', when: 'any' }
                job('alert')  { command 'a'; after 'train', when: 'failure' }
                job('train')  { command 't' }
            }''')

        expect:
        e.job('report').after()[0].when() == Dependency.When.ANY
        e.job('alert').after()[0].when() == Dependency.When.FAILURE
        new Plan(e).jobsInSubmitOrder()*.name() == ['train', 'report', 'alert']
        new Plan(e).firstWorkUnitId('train') == 3
    }

    def 'time limits accept unit and clock forms'() {
        expect:
        load("experiment('x') { job('a') { command 'a'; resources { time '$text' } } }").job('a').resources().time() == expected

        where:
        text         || expected
        '2h'         || Duration.ofHours(2)
        '90m'        || Duration.ofMinutes(90)
        '1d12h'      || Duration.ofHours(36)
        '01:30:00'   || Duration.ofMinutes(90)
        '1-00:00:00' || Duration.ofDays(1)
        '45:00'      || Duration.ofMinutes(45)
        '48:00:00'   || Duration.ofHours(48)
        '1-23:59:59' || Duration.ofDays(2).minusSeconds(1)
        '59:59'      || Duration.ofHours(1).minusSeconds(1)
        '1h 30m'     || Duration.ofMinutes(90)
        '365d'       || Duration.ofDays(365)
    }

    def 'memory sizes take K, M, G and T with an optional B or iB, a bare number being MiB'() {
        expect:
        load("experiment('x') { job('a') { command 'a'; resources { memory '$text' } } }").job('a').resources().memoryMib() == mib

        where:
        text    || mib
        '512'   || 512
        '512M'  || 512
        '16G'   || 16 * 1024
        '16gb'  || 16 * 1024
        '16GiB' || 16 * 1024
        '1.5T'  || 3 * 512 * 1024
        '100K'  || 1
    }

    def "a block's own fields stay hidden: the launcher's variables keep their names inside it"() {
        when:
        Experiment e = load('''
            name = 'from-the-launcher'
            command = 'also-mine'
            experiment('x') {
                job('a') {
                    command 'prog'
                    args tag: name, other: command
                    sweep none
                }
            }''')

        then:
        e.job('a').args() == ['--tag=from-the-launcher', '--other=also-mine']
    }

    def 'script arguments after -- reach the launcher as args'() {
        given:
        Path file = dir.resolve('a.xm.groovy')
        file.toFile().text = "experiment('x') { job('a') { command 'echo', args[0] } }"

        expect:
        LauncherLoader.load(file, 'a.xm.groovy', ['hi there']).job('a').command() == ['echo', 'hi there']
    }

    def 'scheduler words of a job land in its scheduler options'() {
        when:
        def o = load('''
            experiment('x') {
                job('t') {
                    command 'prog'
                    partition 'gpu'; queue 'all.q'; account 'lab'; qos 'high'
                    setup 'module load cuda/12.1'
                    preRun 'nvidia-smi'
                    postRun 'echo done'
                    srun '--cpu-bind=cores'
                    launchPrefix 'nsys', 'profile'
                    maxParallel 4
                    maxArraySize 100
                    option 'constraint', 'a100'
                }
            }''').job('t').scheduler()

        then:
        [o.partition(), o.queue(), o.account(), o.qos()] == ['gpu', 'all.q', 'lab', 'high']
        o.setup() == ['module load cuda/12.1']
        o.preRun() == ['nvidia-smi']
        o.postRun() == ['echo done']
        o.srun() == ['--cpu-bind=cores']
        o.launchPrefix() == ['nsys', 'profile']
        o.maxParallel() == 4
        o.maxArraySize() == 100
        o.options() == [constraint: 'a100']
    }

    def 'an experiment names one cluster, or several for each job to go where it starts first'() {
        expect:
        load("experiment('x') {\n cluster $written\n job('a') { command 'true' } }").cluster() == cluster

        where:
        written                   || cluster
        "'slurm'"                 || 'slurm'
        "'mila', 'narval'"        || 'mila,narval'
        "'mila', 'narval', 'sge'" || 'mila,narval,sge'
    }
}
