package xmrun.packs

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError
import xmrun.XmrunProcess
import xmrun.app.LaunchService
import xmrun.app.XmrunHome
import xmrun.app.Clusters

import java.nio.file.Files
import java.nio.file.Path

/** Template packs and @Grab from a Maven repository the spec writes on disk: no network involved. */
class TemplatePackSpec extends Specification {
    static final String PACK_TEMPLATE = '''{% extends "builtin/slurm/job.sh.peb" %}
{% block setup -%}
{% include "lab/banner.peb" -%}
module load lab-cuda/12
{{ parent() }}{% endblock %}'''

    @TempDir
    Path dir

    MavenRepoFixture repo
    Path config

    def setup() {
        repo = new MavenRepoFixture(dir.resolve('repo'))
        repo.publish('org.lab', 'common-templates', '1.0', ['templates/lab/banner.peb': "echo 'lab cluster, job {{ job.name }}'\n"])
        repo.publish('org.lab', 'hpc-templates', '1.2', ['templates/slurm/job.sh.peb': PACK_TEMPLATE], ['org.lab:common-templates:1.0'])
        repo.publish('org.lab', 'greeter', '1.0', ['lab/Greeter.class': MavenRepoFixture.compile(dir.resolve('javac'), 'lab.Greeter',
                'package lab; public class Greeter { public static String greet(String who) { return "hello " + who; } }')])
        config = dir.resolve('clusters.groovy')
        config.toFile().text = "repositories { maven '${repo.url()}' }\n"
    }

    String render(String launcherText) {
        Path launcher = dir.resolve('code/train.xm.groovy')
        Files.createDirectories(launcher.parent)
        launcher.toFile().text = launcherText
        def home = new XmrunHome(dir.resolve('home'), dir.resolve('config'), config)
        def service = new LaunchService(home, new Clusters(home))
        Path out = dir.resolve('out')
        out.toFile().deleteDir()
        service.render(service.prepare(launcher, 'train.xm.groovy', [], null), out)
        Files.readString(out.resolve('jobs/train.sh'))
    }

    static final String LAUNCHER = '''
        experiment('packed') {
            cluster 'slurm'
            templates 'org.lab:hpc-templates:1.2'
            job('train') {
                command 'python3', 'train.py'
                setup 'module load own-thing'
            }
        }'''

    def 'a pack overrides one block of the built-in Slurm template and pulls a template from its dependency'() {
        when:
        String script = render(LAUNCHER)
        List<String> lines = script.readLines()

        then: 'the setup block: the dependency pack banner, the pack line, then the built-in block itself'
        lines.indexOf("echo 'lab cluster, job train'") < lines.indexOf('module load lab-cuda/12')
        lines.indexOf('module load lab-cuda/12') < lines.indexOf('module load own-thing')
        lines.indexOf("echo 'lab cluster, job train'") > lines.findLastIndexOf { it.startsWith('#SBATCH') }

        and: 'everything else is the built-in template'
        script.contains('#SBATCH --job-name=xm0-train\n')
        script.contains('set -- python3 train.py\n')
        script.endsWith('exit $status\n')
    }

    def 'with the repository gone, the pack comes from the cache'() {
        given:
        String online = render(LAUNCHER)

        when:
        dir.resolve('repo').toFile().deleteDir()

        then:
        render(LAUNCHER) == online
    }

    def 'a pack that cannot be found is a one-line error naming it'() {
        when:
        render(LAUNCHER.replace('hpc-templates:1.2', 'hpc-templates:9.9'))

        then:
        UserError e = thrown()
        e.message.startsWith("cannot resolve template pack org.lab:hpc-templates:9.9 from ${repo.url()}")
        e.message.readLines().size() == 1
    }

    def 'a launcher with @Grab of a library from the lab repository runs'() {
        given:
        Path launcher = dir.resolve('code/grab.xm.groovy')
        Files.createDirectories(launcher.parent)
        launcher.toFile().text = '''@Grab('org.lab:greeter:1.0')
import lab.Greeter

experiment('grabbed') {
    job('hello') { command 'echo', Greeter.greet('lab') }
}
'''
        def xmrun = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])

        when:
        def launch = xmrun.run('launch', launcher.toString(), '--wait')

        then:
        launch.exitCode == 0
        xmrun.run('logs', '1', '1').out == 'hello lab\n'
    }

    def 'a @Grab that cannot be resolved is a one-line error naming the coordinate'() {
        given:
        Path launcher = dir.resolve('code/bad.xm.groovy')
        Files.createDirectories(launcher.parent)
        launcher.toFile().text = "// a library the lab never published\n@Grab('org.lab:nope:1.0')\nimport lab.Nope\nexperiment('x') { job('a') { command 'true' } }\n"

        when:
        def r = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()]).run('launch', launcher.toString())

        then:
        r.exitCode == 2
        r.err.readLines().size() == 1
        r.err.startsWith("${launcher}:2: cannot @Grab org.lab:nope:1.0:")
    }

    def 'templates list shows the pack templates of a launcher, and which built-in they override'() {
        given:
        Path launcher = dir.resolve('code/train.xm.groovy')
        Files.createDirectories(launcher.parent)
        launcher.toFile().text = LAUNCHER
        def xmrun = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])

        when:
        def list = xmrun.run('templates', 'list', '--launcher', launcher.toString())
        def show = xmrun.run('templates', 'show', 'slurm/job.sh.peb', '--launcher', launcher.toString())

        then:
        list.out =~ /slurm\/job\.sh\.peb\s+pack org\.lab:hpc-templates:1\.2  \(overrides built-in\)/
        list.out =~ /lab\/banner\.peb\s+pack org\.lab:hpc-templates:1\.2\n/
        show.out == PACK_TEMPLATE
    }
}
