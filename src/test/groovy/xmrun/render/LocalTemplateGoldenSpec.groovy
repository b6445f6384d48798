package xmrun.render

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.app.LaunchService
import xmrun.app.XmrunHome

import java.nio.file.Files
import java.nio.file.Path

/** The built-in local template, rendered and compared with a checked-in golden file. */
class LocalTemplateGoldenSpec extends Specification {
    @TempDir
    Path dir

    def 'renders one case line per work unit with every value quoted'() {
        given:
        Path launcher = dir.resolve('golden.xm.groovy')
        launcher.toFile().text = '''
            experiment('golden') {
                job('train') {
                    command 'python3', 'train.py'
                    args 'data dir', epochs: 2
                    env WANDB_PROJECT: "it's \\$HOME"
                    sweep { lr 1e-3, 3e-4; tag 'a b', '`x`' }
                }
            }'''
        def service = new LaunchService(new XmrunHome(dir.resolve('home'), dir.resolve('config')))

        when:
        service.render(service.prepare(launcher, 'golden.xm.groovy', [], null), dir.resolve('out'))
        String rendered = Files.readString(dir.resolve('out/jobs/train.sh'))
                .replace(dir.resolve('out').toString(), '@WORK@').replace(dir.toString(), '@CODE@')

        then:
        rendered == getClass().getResource('/golden/local/train.sh').text
    }
}
