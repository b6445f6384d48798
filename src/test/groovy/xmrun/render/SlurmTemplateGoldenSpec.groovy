package xmrun.render

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.app.LaunchService
import xmrun.app.XmrunHome

import java.nio.file.Files
import java.nio.file.Path

/** The built-in Slurm template, rendered (nothing submitted) and compared with a checked-in golden file. */
class SlurmTemplateGoldenSpec extends Specification {
    @TempDir
    Path dir

    def 'renders directives, setup, srun prefix and pre/post-run lines around the case table'() {
        given:
        Path launcher = dir.resolve('golden.xm.groovy')
        launcher.toFile().text = '''
            experiment('golden') {
                cluster 'slurm'
                job('train') {
                    command 'python3', 'train.py'
                    env WANDB_MODE: 'offline'
                    resources { cpus 4; memory '16G'; gpus 1; time '2h' }
                    partition 'gpu'
                    account 'lab'
                    option 'constraint', 'a100'
                    setup 'module load cuda/12.1'
                    preRun 'nvidia-smi -L'
                    postRun 'echo "exit status $status"'
                    srun '--cpu-bind=cores'
                    launchPrefix 'nsys', 'profile'
                    sweep { lr 1e-3, 3e-4 }
                }
            }'''
        def service = new LaunchService(new XmrunHome(dir.resolve('home'), dir.resolve('config')))

        when:
        service.render(service.prepare(launcher, 'golden.xm.groovy', [], null), dir.resolve('out'))
        String rendered = Files.readString(dir.resolve('out/jobs/train.sh'))
                .replace(dir.resolve('out').toString(), '@WORK@').replace(dir.toString(), '@CODE@')

        then:
        rendered == getClass().getResource('/golden/slurm/train.sh').text
    }
}
