package xmrun.cli

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.cluster.LiveCluster
import xmrun.cluster.TmuxTerminal
import xmrun.config.ClusterSpec
import xmrun.dsl.ConfigLoader
import xmrun.render.ShellQuote

import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code xmrun init}: the launcher it writes runs, the cluster entry it adds loads and connects to the test
 * cluster's sshd (127.0.0.1:2222, user xmtest, in front of the live Slurm), with the values from flags or
 * typed at its questions on a real terminal.
 */
class InitCommandSpec extends Specification {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')

    @TempDir
    Path dir

    Properties env = new Properties()
    String workdir = "~/xmrun-init-${UUID.randomUUID().toString().take(8)}"
    Path project
    Path xdgConfig

    def setupSpec() {
        LiveCluster.require('sshd', ['test', '-s', CLUSTER.resolve('ssh/sshd.pid').toString()])
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
        LiveCluster.require('tmux', ['tmux', '-V'])
    }

    def setup() {
        CLUSTER.resolve('cluster.env').toFile().withReader { env.load(it) }
        project = Files.createDirectories(dir.resolve('my project'))
        xdgConfig = dir.resolve('xdg')
    }

    def cleanup() {
        new ProcessBuilder('rm', '-rf', Path.of('/home', env.XM_SSH_USER as String, workdir.substring(2)).toString()).start().waitFor()
    }

    XmrunProcess xmrun(Map<String, String> extra = [:]) {
        new XmrunProcess(dir.resolve('home'), [XDG_CONFIG_HOME: xdgConfig.toString(), SSH_AUTH_SOCK: ''] + extra)
    }

    List<String> sshFlags() {
        ['--host', '127.0.0.1', '--port', env.XM_SSH_PORT, '--user', env.XM_SSH_USER, '--identity', env.XM_SSH_KEY,
         '--known-hosts', env.XM_SSH_KNOWN_HOSTS, '--workdir', workdir] as List<String>
    }

    def 'init writes a commented launcher that evaluates and runs its sweep on local (dry run)'() {
        given:
        Files.writeString(project.resolve('train.py'), 'print("hi")\n')

        when:
        def r = xmrun().run(['init'], project)

        then:
        r.exitCode == 0
        r.out.contains('wrote launcher.xm.groovy')
        String text = Files.readString(project.resolve('launcher.xm.groovy'))
        text.readLines().count { it.trim().startsWith('//') } >= 5
        text.contains("experiment('my-project')")
        text.contains("command 'python3', 'train.py'")

        when:
        def dry = xmrun().run(['launch', '--dry-run', '--cluster', 'local', 'launcher.xm.groovy'], project)

        then:
        dry.exitCode == 0
        dry.out.contains("experiment 'my-project': 4 work units on local (dry run: nothing submitted)")
        dry.out.contains("python3 train.py --epochs=10 --lr=0.001 --seed=0")
    }

    def 'init never overwrites a launcher: exit 2, one line, the file as it was, and no cluster added'() {
        given:
        Files.writeString(project.resolve('launcher.xm.groovy'), 'mine\n')

        when:
        def r = xmrun().run(['init', '--cluster', 'lab'] + sshFlags(), project)

        then:
        r.exitCode == 2
        r.err.readLines() == ['xmrun: launcher.xm.groovy already exists here; not overwriting it (move it away, or edit it)']
        Files.readString(project.resolve('launcher.xm.groovy')) == 'mine\n'
        !Files.exists(xdgConfig)
    }

    def 'init --cluster with flags creates ~/.config/xmrun/clusters.groovy, whose entry loads and whose check really connects'() {
        when:
        def r = xmrun().run(['init', '--cluster', 'lab'] + sshFlags(), project)
        Path config = xdgConfig.resolve('xmrun/clusters.groovy')

        then:
        r.exitCode == 0
        r.out.contains("added cluster 'lab' to $config")
        r.out.readLines().count { it.startsWith('ok ') } == 4
        r.out.contains("ok     slurm answers")
        r.out =~ /ok +workdir \/home\/${env.XM_SSH_USER}\/xmrun-init-\w+: writable/

        and: 'the entry loads with every value given'
        ClusterSpec lab = ConfigLoader.load(config, 'clusters.groovy').clusters().lab
        lab.scheduler() == 'slurm'
        lab.ssh().host() == '127.0.0.1'
        lab.ssh().port() == env.XM_SSH_PORT as int
        lab.ssh().user() == env.XM_SSH_USER
        lab.ssh().identity() == env.XM_SSH_KEY
        lab.ssh().knownHosts() == env.XM_SSH_KNOWN_HOSTS
        lab.workdir() == workdir

        and: 'the launcher runs there'
        Files.readString(project.resolve('launcher.xm.groovy')).contains("cluster 'lab'")
        xmrun().run(['launch', '--dry-run', 'launcher.xm.groovy'], project).out.contains('4 work units on lab')
    }

    def 'init --cluster appends to the config xmrun reads, keeping its clusters, and never replaces a cluster of that name'() {
        given:
        Path config = dir.resolve('team.groovy')
        String before = "cluster('other') { scheduler 'sge' }  // the team's"
        Files.writeString(config, before)

        when:
        def r = xmrun(XMRUN_CONFIG: config.toString()).run(['init', '--cluster', 'lab'] + sshFlags(), project)

        then:
        r.exitCode == 0
        String after = Files.readString(config)
        after.startsWith(before + '\n\n// added by xmrun init')
        ConfigLoader.load(config, 'team.groovy').clusters().keySet() == ['other', 'lab'] as Set

        when: 'again, in another directory, for the same name'
        Path elsewhere = Files.createDirectories(dir.resolve('elsewhere'))
        def again = xmrun(XMRUN_CONFIG: config.toString()).run(['init', '--cluster', 'lab', '--host', 'other.example.org'], elsewhere)

        then:
        again.exitCode == 2
        again.err.readLines() == ["xmrun: cluster 'lab' is already in $config; not changing it".toString()]
        Files.readString(config) == after
        !Files.exists(elsewhere.resolve('launcher.xm.groovy'))
    }

    def 'a value the config would refuse is reported before anything is written'() {
        when:
        def r = xmrun().run(['init', '--cluster', 'lab', '--host', 'me@login', '--scheduler', 'pbs'], project)

        then:
        r.exitCode == 2
        r.err.readLines().size() == 1
        r.err.contains('clusters.groovy:3: ') && r.err.contains("scheduler must be one of")
        !Files.exists(project.resolve('launcher.xm.groovy'))
        !Files.exists(xdgConfig)
    }

    def 'without a terminal and without --host, init --cluster says what it needs (exit 2)'() {
        when:
        def r = xmrun().run(['init', '--cluster', 'lab'], project)

        then:
        r.exitCode == 2
        r.err.trim() == 'xmrun: init --cluster lab needs --host (and --user, --workdir), or a terminal to ask on'
        !Files.exists(project.resolve('launcher.xm.groovy'))
    }

    def 'a failing check is exit 1, and the launcher and the entry stay'() {
        given: 'a port nothing listens on'
        List<String> flags = sshFlags()
        flags[flags.indexOf('--port') + 1] = '1'

        when:
        def r = xmrun().run(['init', '--cluster', 'lab'] + flags, project)

        then:
        r.exitCode == 1
        r.err.startsWith('xmrun: ')
        Files.exists(project.resolve('launcher.xm.groovy'))
        ConfigLoader.load(xdgConfig.resolve('xmrun/clusters.groovy'), 'clusters.groovy').clusters().lab.ssh().port() == 1
    }

    def 'on a terminal, init asks for host, user and workdir, and the answers make a cluster that connects'() {
        given:
        Path rc = dir.resolve('rc')
        String java = ProcessHandle.current().info().command().get()
        List<String> argv = [java, '-XX:TieredStopAtLevel=1', '-cp', System.getProperty('java.class.path'), 'xmrun.Main',
                             'init', '--cluster', 'lab', '--port', env.XM_SSH_PORT, '--identity', env.XM_SSH_KEY,
                             '--known-hosts', env.XM_SSH_KNOWN_HOSTS]
        String command = 'cd ' + ShellQuote.quote(project.toString()) + ' && SSH_AUTH_SOCK= XMRUN_HOME=' +
                ShellQuote.quote(dir.resolve('home').toString()) + ' XDG_CONFIG_HOME=' + ShellQuote.quote(xdgConfig.toString()) +
                ' ' + ShellQuote.join(argv) + '; echo $? > ' + ShellQuote.quote(rc.toString())
        TmuxTerminal terminal = new TmuxTerminal(command)

        when:
        String screen
        try {
            answer(terminal, 'login host (as for ssh): ', '127.0.0.1')
            answer(terminal, "user [${System.getProperty('user.name')}]: ", env.XM_SSH_USER)
            answer(terminal, 'workdir on the cluster [~/xmrun]: ', workdir)
            waitFor { Files.exists(rc) && Files.size(rc) > 0 }
            screen = terminal.screen()
        } finally {
            terminal.close()
        }
        ClusterSpec lab = ConfigLoader.load(xdgConfig.resolve('xmrun/clusters.groovy'), 'clusters.groovy').clusters().lab

        then:
        Files.readString(rc).trim() == '0'
        screen.readLines().count { it.startsWith('ok ') } == 4
        lab.ssh().host() == '127.0.0.1'
        lab.ssh().user() == env.XM_SSH_USER
        lab.workdir() == workdir
        lab.scheduler() == 'slurm'
    }

    def 'end of input at a question stops init with nothing written'() {
        given:
        Path rc = dir.resolve('rc')
        String java = ProcessHandle.current().info().command().get()
        String command = 'cd ' + ShellQuote.quote(project.toString()) + ' && XDG_CONFIG_HOME=' + ShellQuote.quote(xdgConfig.toString()) +
                ' XMRUN_HOME=' + ShellQuote.quote(dir.resolve('home').toString()) + ' ' +
                ShellQuote.join([java, '-cp', System.getProperty('java.class.path'), 'xmrun.Main', 'init', '--cluster', 'lab']) +
                '; echo $? > ' + ShellQuote.quote(rc.toString())
        TmuxTerminal terminal = new TmuxTerminal(command)

        when:
        String screen
        try {
            waitFor { terminal.screen().contains('login host (as for ssh): ') }
            terminal.key('C-d')
            waitFor { Files.exists(rc) && Files.size(rc) > 0 }
            screen = terminal.screen()
        } finally {
            terminal.close()
        }

        then:
        Files.readString(rc).trim() == '2'
        screen.contains('xmrun: init: no answer for login host (as for ssh) (end of input); nothing written')
        !Files.exists(project.resolve('launcher.xm.groovy'))
        !Files.exists(xdgConfig)
    }

    /** Waits for the question at the end of the screen, then types the answer. */
    static void answer(TmuxTerminal terminal, String question, String text) {
        waitFor { terminal.screen().stripTrailing().endsWith(question.stripTrailing()) }
        terminal.type(text)
    }

    static void waitFor(Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 60_000
        while (!condition()) {
            assert System.currentTimeMillis() < deadline: 'gave up waiting after 60 s'
            sleep(100)
        }
    }
}
