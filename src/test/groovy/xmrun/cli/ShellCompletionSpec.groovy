package xmrun.cli

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.cluster.LiveCluster
import xmrun.cluster.TmuxTerminal
import xmrun.render.ShellQuote
import xmrun.store.ExperimentStore

import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code xmrun completion bash|zsh}, sourced in a real bash and a real zsh: what TAB offers after a command
 * line. Cluster names and experiment ids are looked up when TAB is pressed, from the config xmrun would read
 * and from the store, by the xmrun on PATH (here a wrapper running this build).
 */
class ShellCompletionSpec extends Specification {
    static final List<String> COMMANDS = ['launch', 'render', 'sweep', 'list', 'status', 'logs', 'results', 'cancel', 'resume',
                                          'templates', 'clusters', 'init', 'ui', 'completion', 'show', 'relaunch', 'diff']
    static final List<String> BUILT_IN = ['local', 'slurm', 'sge']

    @Shared
    @TempDir
    Path dir

    @Shared
    Path work, bin, home, config

    def setupSpec() {
        LiveCluster.require('bash', ['bash', '--version'])
        LiveCluster.require('zsh', ['zsh', '--version'])
        LiveCluster.require('tmux', ['tmux', '-V'])
        home = dir.resolve('home')
        bin = Files.createDirectories(dir.resolve('bin'))
        String java = ProcessHandle.current().info().command().get()
        Path wrapper = bin.resolve('xmrun')
        Files.writeString(wrapper, '#!/bin/sh\nexec ' + ShellQuote.join([java, '-XX:TieredStopAtLevel=1', '-cp',
                System.getProperty('java.class.path'), 'xmrun.Main']) + ' "$@"\n')
        wrapper.toFile().setExecutable(true)
        ['bash', 'zsh'].each { shell ->
            def r = new XmrunProcess(home).run('completion', shell)
            assert r.exitCode == 0 && r.err.isEmpty()
            Files.writeString(dir.resolve("xmrun.$shell"), r.out)
        }
        work = Files.createDirectories(dir.resolve('work'))
        ['train.xm.groovy', 'eval.xm.groovy', 'notes.txt', 'lr.sweep.groovy', 'runs/big.xm.groovy'].each {
            Files.createDirectories(work.resolve(it).parent)
            Files.writeString(work.resolve(it), '')
        }
        config = dir.resolve('team.groovy')
        Files.writeString(config, "cluster('mila') { scheduler 'slurm'; ssh { host 'login.mila.example' } }\ncluster('narval') { scheduler 'slurm' }\n")
        ExperimentStore.open(home.resolve('store.sqlite')).withCloseable { store ->
            3.times { store.createExperiment("e$it", 'train.xm.groovy', 'local', home.resolve('experiments'), []) }
        }
    }

    /** What bash's completion function offers for the line (the last word is the one being completed). */
    List<String> offered(String line, Map<String, String> env = [XMRUN_CONFIG: config.toString()], Path cwd = work) {
        List<String> words = line.split(' ', -1) as List<String>
        String driver = """
            source ${ShellQuote.quote(dir.resolve('xmrun.bash').toString())}
            COMP_WORDS=(${words.collect { ShellQuote.quote(it) }.join(' ')})
            COMP_CWORD=${words.size() - 1}
            COMP_LINE=${ShellQuote.quote(line)}
            COMP_POINT=\${#COMP_LINE}
            _xmrun_complete 2>/dev/null  # compopt complains outside a real TAB; the terminal feature below has those
            printf '%s\\n' "\${COMPREPLY[@]}"
            """.stripIndent()
        ProcessBuilder pb = new ProcessBuilder('bash', '--norc', '--noprofile', '-c', driver).directory(cwd.toFile())
        Map<String, String> environment = pb.environment()
        environment.put('PATH', "$bin:${System.getenv('PATH')}".toString())
        environment.put('XMRUN_HOME', home.toString())
        environment.put('XDG_CONFIG_HOME', dir.resolve('no-config').toString())
        environment.remove('XMRUN_CONFIG')
        environment.putAll(env)
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start()
        String out = p.inputStream.getText('UTF-8')
        assert p.waitFor() == 0
        out.readLines().findAll { !it.isEmpty() }
    }

    def 'TAB after "#line" offers #expected'() {
        expect:
        offered(line) as Set == expected as Set

        where:
        line                                 || expected
        'xmrun '                             || COMMANDS + ['train.xm.groovy', 'eval.xm.groovy', 'runs']
        'xmrun st'                           || ['status']
        'xmrun c'                            || ['cancel', 'clusters', 'completion']
        'xmrun clusters '                    || ['check']
        'xmrun clusters check '              || BUILT_IN + ['mila', 'narval']
        'xmrun clusters check m'             || ['mila']
        'xmrun launch --cluster '            || BUILT_IN + ['mila', 'narval']
        'xmrun train.xm.groovy --cluster n'  || ['narval']
        'xmrun render --cluster '            || BUILT_IN + ['mila', 'narval']
        'xmrun launch '                      || ['train.xm.groovy', 'eval.xm.groovy', 'runs']
        'xmrun launch t'                     || ['train.xm.groovy']
        'xmrun launch runs/'                 || ['runs/big.xm.groovy']
        'xmrun render '                      || ['train.xm.groovy', 'eval.xm.groovy', 'runs']
        'xmrun sweep '                       || ['train.xm.groovy', 'eval.xm.groovy', 'lr.sweep.groovy', 'runs']
        'xmrun templates show --launcher '   || ['train.xm.groovy', 'eval.xm.groovy', 'runs']
        'xmrun launch --d'                   || ['--dry-run']
        'xmrun train.xm.groovy --w'          || ['--wait']
        'xmrun status '                      || ['1', '2', '3']
        'xmrun logs '                        || ['1', '2', '3']
        'xmrun logs --attempt 2 '            || ['1', '2', '3']
        'xmrun results --sort lr '           || ['1', '2', '3']
        'xmrun cancel 2'                     || ['2']
        'xmrun resume '                      || ['1', '2', '3']
        'xmrun status --'                    || ['--json', '--watch', '--help', '--version']
        'xmrun init --scheduler '            || BUILT_IN
        'xmrun ui --'                        || ['--port', '--interval', '--help', '--version']
        'xmrun completion '                  || ['bash', 'zsh']
        'xmrun __'                           || []
    }

    def 'experiment ids come newest first'() {
        expect:
        offered('xmrun status ') == ['3', '2', '1']
    }

    def 'cluster names come from the config xmrun reads: #source'() {
        given:
        Path cwd = Files.createDirectories(dir.resolve("cwd-${source.replaceAll(/\W/, '')}"))
        Map<String, String> env = [:]
        Path file = source == 'XMRUN_CONFIG' ? dir.resolve('explicit.groovy')
                : source == '~/.config/xmrun/clusters.groovy' ? dir.resolve("xdg/xmrun/clusters.groovy")
                : cwd.resolve('xmrun.config.groovy')
        Files.createDirectories(file.parent)
        Files.writeString(file, "cluster('$name') { scheduler 'sge' }\n")
        if (source == 'XMRUN_CONFIG') {
            env.XMRUN_CONFIG = file.toString()
        } else if (source.startsWith('~')) {
            env.XDG_CONFIG_HOME = dir.resolve('xdg').toString()
        }

        expect:
        offered('xmrun clusters check ', env, cwd) == BUILT_IN + [name]

        where:
        source                            | name
        'XMRUN_CONFIG'                    | 'from-env'
        '~/.config/xmrun/clusters.groovy' | 'from-home'
        './xmrun.config.groovy'           | 'from-here'
    }

    def 'a config with a mistake still offers the built-in clusters, and TAB prints no error'() {
        given:
        Path broken = dir.resolve('broken.groovy')
        Files.writeString(broken, "cluster('x') { schedular 'slurm' }\n")

        expect:
        offered('xmrun clusters check ', [XMRUN_CONFIG: broken.toString()]) == BUILT_IN
    }

    def 'without a store, no experiment ids are offered and none is created'() {
        given:
        Path other = dir.resolve('empty-home')

        expect:
        offered('xmrun status ', [XMRUN_HOME: other.toString()]) == []
        !Files.exists(other)
    }

    def 'a cluster name is looked up in under 5 s (a JVM start and the config, compiled once and cached)'() {
        when:
        offered('xmrun clusters check ')
        long t0 = System.nanoTime()
        List<String> names = offered('xmrun clusters check ')
        double seconds = (System.nanoTime() - t0) / 1e9

        then:
        names.size() == 5
        seconds < 5
    }

    def 'completion for another shell is a usage error'() {
        when:
        def r = new XmrunProcess(home).run('completion', 'fish')

        then:
        r.exitCode == 2
        r.err.trim() == "xmrun: completion is for bash or zsh, got 'fish'"
    }

    def 'in an interactive #shell on a terminal, TAB TAB lists the config clusters and the experiment ids'() {
        given:
        String setup = 'cd ' + ShellQuote.quote(work.toString()) + ' && env PATH=' + ShellQuote.quote("$bin:${System.getenv('PATH')}".toString()) +
                ' XMRUN_HOME=' + ShellQuote.quote(home.toString()) + ' XMRUN_CONFIG=' + ShellQuote.quote(config.toString()) +
                ' XDG_CONFIG_HOME=' + ShellQuote.quote(dir.resolve('no-config').toString()) + ' PS1=READY\\>\\  ' + start
        TmuxTerminal terminal = new TmuxTerminal(setup)

        when:
        String clusters = null
        String ids = null
        String file = null
        try {
            waitFor(terminal) { it.contains('READY> ') }
            terminal.type('source ' + ShellQuote.quote(dir.resolve("xmrun.$shell").toString()))
            waitFor(terminal) { it.readLines().count { l -> l.startsWith('READY> ') } >= 2 }
            clusters = tab(terminal, tabs, 'xmrun clusters check ') { it.contains('narval') }
            ids = tab(terminal, tabs, 'xmrun logs ') { it =~ /\b3\b/ }
            file = tab(terminal, 1, 'xmrun tr') { it.contains('xmrun train.xm.groovy') }
        } finally {
            terminal.close()
        }

        then:
        (BUILT_IN + ['mila', 'narval']).every { clusters =~ /\b$it\b/ }
        ['1', '2', '3'].every { ids =~ /(?m)^(.*\s)?$it(\s.*)?$/ }
        file.contains('READY> xmrun train.xm.groovy')

        where:
        shell  | start                     | tabs
        'bash' | 'bash --norc --noprofile' | 2
        'zsh'  | 'zsh -f'                  | 1
    }

    /** Types the line, presses TAB (bash lists on the second, zsh on the first), returns the screen once it shows what was expected, then clears the line. */
    static String tab(TmuxTerminal terminal, int tabs, String line, Closure<Boolean> shown) {
        terminal.key('C-u')
        terminal.write(line)
        tabs.times {
            sleep(1000)
            terminal.key('Tab')
        }
        String screen = waitFor(terminal, shown)
        terminal.key('C-c')
        screen
    }

    static String waitFor(TmuxTerminal terminal, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 30_000
        String screen = terminal.screen()
        while (!condition(screen)) {
            assert System.currentTimeMillis() < deadline: "gave up after 30 s waiting on the terminal:\n$screen"
            sleep(200)
            screen = terminal.screen()
        }
        screen
    }
}
