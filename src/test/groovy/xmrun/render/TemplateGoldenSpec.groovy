package xmrun.render

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.app.LaunchService
import xmrun.app.XmrunHome

import java.nio.file.Files
import java.nio.file.Path

/**
 * The built-in templates, rendered (nothing submitted) and compared with checked-in golden files.
 * Set XMRUN_UPDATE_GOLDEN=1 to rewrite the files under src/test/resources/golden/ after a deliberate change.
 */
class TemplateGoldenSpec extends Specification {
    @TempDir
    Path dir

    static final String LAUNCHER = '''
        experiment('golden') {
            cluster '@CLUSTER@'
            job('train') {
                command 'python3', 'train.py'
                args 'data dir', epochs: 2
                env WANDB_PROJECT: "it's \\$HOME"
                resources { cpus 4; memory '16G'; gpus 1; time '2h' }
                partition 'gpu'
                account 'lab'
                option 'constraint', 'a100'
                setup 'module load cuda/12.1'
                preRun 'nvidia-smi -L'
                postRun 'echo "exit status $status"'
                srun '--cpu-bind=cores'
                launchPrefix 'nsys', 'profile'
                sweep { lr 1e-3, 3e-4; tag 'a b', '`x`' }
            }
            job('eval') {
                command 'python3', 'eval.py'
                after 'train'
            }
        }'''

    /** Work units over several nodes, each launch helper, and a job group (Slurm). */
    static final String MULTI_NODE = '''
        experiment('golden') {
            cluster 'slurm'
            job('tasks') {
                command 'python3', 'train.py', "it's \\$HOME"
                resources { nodes 2; tasksPerNode 4; cpus 2; memory '32G'; gpus 4; time '1h' }
                launch srun('--cpu-bind=cores')
                launchPrefix 'nsys', 'profile'
            }
            job('torch') {
                command 'python3', 'train.py', "it's \\$HOME"
                resources { nodes 2; cpus 8; gpus 4 }
                setup 'source venv/bin/activate'
                launch torchrun(procsPerNode: 4)
            }
            job('ray') {
                command 'python3', 'driver.py', "it's \\$HOME"
                resources { nodes 3; cpus 4; memory '8G' }
                setup 'source venv/bin/activate'
                launch ray()
            }
            job('raysym') {
                command 'python3', 'driver.py'
                resources { nodes 2 }
                launch ray(symmetric: true, dashboard: true, port: 26000)
            }
            group('rl') {
                sweep { seed 1, 2 }
                after 'tasks'
                job('learner') {
                    command 'python3', 'learner.py'
                    resources { cpus 4; gpus 1; memory '16G' }
                    setup 'source venv/bin/activate'
                }
                job('actor') {
                    command 'python3', 'actor.py'
                    resources { nodes 2; cpus 2 }
                    launch ray()
                }
            }
        }'''

    /** The helpers on one node, and a group, where there are no job steps. */
    static final String ONE_NODE = '''
        experiment('golden') {
            cluster '@CLUSTER@'
            job('torch') {
                command 'python3', 'train.py', "it's \\$HOME"
                resources { tasksPerNode 2; cpus 2; memory '8G' }
                launch torchrun(procsPerNode: 2)
            }
            job('ray') {
                command 'python3', 'driver.py'
                resources { cpus 2 }
                launch ray(port: 25000)
            }
        }'''

    static final String LOCAL_GROUP = '''
        experiment('golden') {
            cluster 'local'
            group('rl') {
                job('learner') { command 'python3', 'learner.py'; resources { cpus 2; gpus 1; time '2h' } }
                job('actor') { command 'python3', 'actor.py'; resources { cpus 1; time '1h' }; launch torchrun() }
            }
        }'''

    String render(String cluster, String file, String text = LAUNCHER) {
        Path launcher = dir.resolve('golden.xm.groovy')
        launcher.toFile().text = text.replace('@CLUSTER@', cluster)
        def service = new LaunchService(new XmrunHome(dir.resolve('home'), dir.resolve('config')))
        service.render(service.prepare(launcher, 'golden.xm.groovy', [], null), dir.resolve('out'))
        Files.readString(dir.resolve('out').resolve(file))
                .replace(dir.resolve('out').toString(), '@WORK@').replace(dir.toString(), '@CODE@')
                .replace(dir.resolve('home').toString(), '@HOME@')
    }

    def 'the #cluster template renders #file as its golden file'() {
        when:
        String rendered = render(cluster, file)
        Path golden = Path.of('src/test/resources/golden', cluster, file.replace('jobs/', ''))
        if (System.getenv('XMRUN_UPDATE_GOLDEN')) {
            Files.createDirectories(golden.parent)
            golden.toFile().text = rendered
        }

        then:
        rendered == golden.toFile().text

        where:
        cluster | file
        'local' | 'jobs/train.sh'
        'local' | 'jobs/eval.sh'
        'slurm' | 'jobs/train.sh'
        'slurm' | 'jobs/eval.sh'
        'sge'   | 'jobs/train.sh'
        'sge'   | 'jobs/eval.sh'
    }

    /** One job per runtime, each with what its template lays out: mounts, env, GPUs, options, a writable file system. */
    static final String CONTAINERS = '''
        experiment('golden') {
            cluster '@CLUSTER@'
            container {
                image 'images/train.sqsh'
                mount '/data', '/data', ro: true
                mount 'inputs', '/inputs'
                env HF_HOME: "/data/hf cache's"
            }
            job('podman') {
                command 'python3', 'train.py'
                args 'data dir', epochs: 2
                env WANDB_PROJECT: "it's \\$HOME"
                resources { gpus 1 }
                container {
                    image 'docker://ghcr.io/lab/train:1.2'
                    runtime 'podman'
                    mount '/data', '/data', ro: true
                    options '--shm-size=8g'
                }
                sweep { lr 1e-3, 3e-4 }
            }
            job('enroot') {
                command 'python3', 'train.py'
                env WANDB_PROJECT: 'mnist'
                resources { gpus 2 }
                container {
                    image 'images/train.sqsh'
                    runtime 'enroot'
                    mount '/data', '/data', ro: true
                    mount '/scratch/me'
                    writable true
                }
            }
            job('charliecloud') {
                command 'python3', 'train.py'
                container {
                    image '/images/train'
                    runtime 'charliecloud'
                    mount '/scratch/me/data', '/data'
                    mount '/home/me/cache'
                }
            }
            job('apptainer') {
                command 'python3', 'train.py'
                resources { gpus 1 }
                container {
                    image 'images/train.sif'
                    runtime 'apptainer'
                    mount '/data', '/data', ro: true
                    env HF_HOME: '/data/hf'
                    writable true
                }
                srun '--cpu-bind=cores'
            }
            job('singularity') {
                command 'python3', 'train.py'
                container {
                    image 'docker://ghcr.io/lab/train@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
                    runtime 'singularity'
                }
            }
            job('host') {
                command 'python3', 'eval.py'
                container none
            }
        }'''

    String renderContainers(String cluster, String file) {
        Path launcher = dir.resolve('golden.xm.groovy')
        launcher.toFile().text = CONTAINERS.replace('@CLUSTER@', cluster)
        def service = new LaunchService(new XmrunHome(dir.resolve('home'), dir.resolve('config')))
        service.render(service.prepare(launcher, 'golden.xm.groovy', [], null), dir.resolve('out'))
        Files.readString(dir.resolve('out').resolve(file))
                .replace(dir.resolve('out').toString(), '@WORK@').replace(dir.toString(), '@CODE@')
    }

    def 'the #runtime container template renders job #job on #cluster as its golden file'() {
        when:
        String rendered = renderContainers(cluster, "jobs/${job}.sh")
        Path golden = Path.of('src/test/resources/golden/containers', cluster, "${job}.sh")
        if (System.getenv('XMRUN_UPDATE_GOLDEN')) {
            Files.createDirectories(golden.parent)
            golden.toFile().text = rendered
        }

        then:
        rendered == golden.toFile().text

        where:
        cluster | job            | runtime
        'slurm' | 'podman'       | 'podman'
        'slurm' | 'enroot'       | 'enroot through Pyxis'
        'slurm' | 'charliecloud' | 'charliecloud'
        'slurm' | 'apptainer'    | 'apptainer'
        'slurm' | 'singularity'  | 'singularity'
        'slurm' | 'host'         | 'no'
        'local' | 'podman'       | 'podman'
        'local' | 'enroot'       | 'enroot start'
        'sge'   | 'charliecloud' | 'charliecloud'
        'sge'   | 'apptainer'    | 'apptainer'
    }

    def 'a job of a cluster with a proxy opens its tunnel before anything runs and closes it before its exit code: golden file'() {
        given: 'a cluster whose jobs tunnel back to the submission host, and a job whose podman pull needs it'
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('hpc') {
                scheduler 'slurm'
                proxy { host 'submission-host'; port 2222; identity '~/.ssh/tunnel key'; knownHosts '~/.ssh/known_hosts' }
            }"""
        Path launcher = dir.resolve('golden.xm.groovy')
        launcher.toFile().text = """
            experiment('golden') {
                cluster 'hpc'
                job('fetch') {
                    command 'python3', 'fetch.py'
                    container 'docker://ghcr.io/lab/train:1.2'
                }
            }"""
        def service = new LaunchService(new XmrunHome(dir.resolve('home'), dir.resolve('config'), config))

        when:
        service.render(service.prepare(launcher, 'golden.xm.groovy', [], null), dir.resolve('out'))
        String rendered = Files.readString(dir.resolve('out/jobs/fetch.sh'))
                .replace(dir.resolve('out').toString(), '@WORK@').replace(dir.toString(), '@CODE@')
        Path golden = Path.of('src/test/resources/golden/proxy/slurm/fetch.sh')
        if (System.getenv('XMRUN_UPDATE_GOLDEN')) {
            Files.createDirectories(golden.parent)
            golden.toFile().text = rendered
        }

        then:
        rendered == golden.toFile().text
        rendered.indexOf('xm_open_tunnel ||') < rendered.indexOf('xm_container=(podman run')
    }

    def 'the #cluster multi-node and group templates render #file as its golden file'() {
        when:
        String rendered = render(cluster, file, text)
        Path golden = Path.of('src/test/resources/golden', cluster, file.replace('jobs/', ''))
        if (System.getenv('XMRUN_UPDATE_GOLDEN')) {
            Files.createDirectories(golden.parent)
            golden.toFile().text = rendered
        }

        then:
        rendered == golden.toFile().text

        where:
        cluster | file             | text
        'slurm' | 'jobs/tasks.sh'  | MULTI_NODE
        'slurm' | 'jobs/torch.sh'  | MULTI_NODE
        'slurm' | 'jobs/ray.sh'    | MULTI_NODE
        'slurm' | 'jobs/raysym.sh' | MULTI_NODE
        'slurm' | 'jobs/rl.sh'     | MULTI_NODE
        'local' | 'jobs/torch.sh'  | ONE_NODE
        'local' | 'jobs/ray.sh'    | ONE_NODE
        'sge'   | 'jobs/torch.sh'  | ONE_NODE
        'local' | 'jobs/rl.sh'     | LOCAL_GROUP
    }

    def 'a job script stays the same size whatever its sweep: its units read their arguments by index from a data file'() {
        given:
        Path launcher = dir.resolve('sizes.xm.groovy')

        when:
        Map<Integer, Long> sizes = [1, 100_000].collectEntries { int n ->
            launcher.toFile().text = """
                experiment('sizes') {
                    cluster 'slurm'
                    job('train') { command 'python3', 'train.py'; sweep { seed 0..<$n; tag 'with space' } }
                }"""
            def service = new LaunchService(new XmrunHome(dir.resolve('home'), dir.resolve('config')))
            Path out = dir.resolve("out-$n".padRight(12, 'x'))
            service.render(service.prepare(launcher, 'sizes.xm.groovy', [], null), out)
            [n, Files.size(out.resolve('jobs/train.sh'))]
        }
        Path out = dir.resolve('out-100000xx')
        byte[] records = Files.readAllBytes(out.resolve('jobs/train.units'))
        List<String> index = Files.readAllLines(out.resolve('jobs/train.index'))

        then: 'only the digits of the last id differ'
        sizes[100_000] - sizes[1] == '100000'.length() - '1'.length()
        sizes[100_000] < 64 * 1024
        index.size() == 100_000
        index.every { it.length() == UnitData.INDEX_RECORD - 1 }

        and: 'record 99999 is its argument count and its arguments, each ended by a NUL'
        def (long offset, long length) = index[99999].trim().split(/ +/)*.toLong()
        new String(records, (int) offset, (int) length, 'UTF-8') == '2\0--seed=99999\0--tag=with space\0'
        index[99999] == String.format('%15d %15d', offset, length)
    }
}
