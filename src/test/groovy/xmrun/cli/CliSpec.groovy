package xmrun.cli

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess

import java.nio.file.Files
import java.nio.file.Path

class CliSpec extends Specification {
    @TempDir
    Path dir

    XmrunProcess xmrun

    def setup() {
        xmrun = new XmrunProcess(dir.resolve('home'))
    }

    def 'a bad launcher exits 2 with one line and nothing recorded'() {
        given:
        Path bad = dir.resolve('bad.xm.groovy')
        bad.toFile().text = "experiment('x') {\n  jbo('a') { command 'true' }\n}\n"

        when:
        def r = xmrun.run(['bad.xm.groovy'], dir)
        def list = xmrun.run('list', '--json')

        then:
        r.exitCode == 2
        r.err == "bad.xm.groovy:2: unknown word 'jbo' in experiment('x') { }; did you mean 'job'?\n"
        r.out == ''
        list.out.trim() == '[]'
    }

    def 'XMRUN_CONFIG naming a missing file is one line and exit 2, whatever the command'() {
        when:
        def r = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: '/no/such/clusters.groovy']).run(command)

        then:
        r.exitCode == 2
        r.err == 'XMRUN_CONFIG=/no/such/clusters.groovy: no such file\n'
        r.out == ''

        where:
        command << [['list'], ['status'], ['dsl-examples/hello.xm.groovy']]
    }

    def 'usage errors exit 2: #args'() {
        when:
        def r = xmrun.run(args)

        then:
        r.exitCode == 2
        r.err.readLines()[0] == message

        where:
        args                      || message
        ['statsu']                || "xmrun: unknown command 'statsu'; did you mean 'status'? (a launcher file needs its path, e.g. ./statsu.xm.groovy)"
        ['status', '42']          || 'no experiment 42; see: xmrun list'
        ['status', 'x']           || "experiment id must be a number, got 'x'"
        ['missing.xm.groovy']     || 'missing.xm.groovy: no such file'
        ['logs']                  || "xmrun: Missing required parameter: 'EXP'"
        ['ui', '--port', '70000'] || 'xmrun: --port must be between 0 (any free port) and 65535, got 70000'
        ['uii']                   || "xmrun: unknown command 'uii'; did you mean 'ui'? (a launcher file needs its path, e.g. ./uii.xm.groovy)"
    }

    def 'every command answers --help with its usage: #command'() {
        when:
        def r = xmrun.run(command + ['--help'])

        then:
        r.exitCode == 0
        r.out.startsWith('Usage: xmrun ' + command.join(' '))

        where:
        command << [['launch'], ['render'], ['list'], ['status'], ['logs'], ['cancel'], ['resume'], ['sweep'],
                    ['templates', 'list'], ['clusters', 'check'], ['ui']]
    }

    def 'a launcher is compiled once: the next run loads it from the cache, an edit compiles again, errors keep their line'() {
        given:
        Path launcher = dir.resolve('cached.xm.groovy')
        launcher.toFile().text = "experiment('c') {\n  job('a') { command 'true' }\n}\n"
        Path cache = dir.resolve('home/cache/scripts')

        when:
        def first = xmrun.run(['cached.xm.groovy', '--dry-run'], dir)
        def second = xmrun.run(['cached.xm.groovy', '--dry-run'], dir)

        then:
        first.out == second.out
        Files.list(cache).count() == 1

        when:
        launcher.toFile().text = "experiment('c') {\n  job('a') { command 'true' }\n  jbo('b') { }\n}\n"
        def edited = xmrun.run(['cached.xm.groovy', '--dry-run'], dir)
        def again = xmrun.run(['cached.xm.groovy', '--dry-run'], dir)

        then:
        Files.list(cache).count() == 2
        edited.err == "cached.xm.groovy:3: unknown word 'jbo' in experiment('c') { }; did you mean 'job'?\n"
        again.err == edited.err
    }

    def "render writes one script per job, its units' arguments beside it, and submits nothing"() {
        when:
        def r = xmrun.run('render', 'dsl-examples/sweep.xm.groovy', '-o', dir.resolve('out').toString())

        then:
        r.exitCode == 0
        r.out.startsWith('rendered 4 files for 6 work units')
        Files.readString(dir.resolve('out/jobs/train.sh')).contains("\nset -- bash scripts/train.sh --epochs=2 \"\${xm_args[@]}\"\n")
        Files.readString(dir.resolve('out/jobs/train.units')).split('\0')[9..11] == ['2', '--lr=0.0003', '--seed=0']
        xmrun.run('list', '--json').out.trim() == '[]'
    }

    def 'dry run prints every command line and records nothing'() {
        when:
        def r = xmrun.run('dsl-examples/pipeline.xm.groovy', '--dry-run')

        then:
        r.exitCode == 0
        r.out == '''experiment 'pipeline': 3 work units on local (dry run: nothing submitted)
                   |job prepare: 1 work unit
                   |     1  bash scripts/prepare.sh --shards=2
                   |job train: 2 work units  after prepare
                   |     2  bash scripts/train.sh --seed=1
                   |     3  bash scripts/train.sh --seed=2
                   |'''.stripMargin()
        xmrun.run('list', '--json').out.trim() == '[]'
    }

    def 'templates list names the built-in local template and show prints it'() {
        when:
        def list = xmrun.run(['templates', 'list'], dir)
        def show = xmrun.run(['templates', 'show', 'local/job.sh.peb'], dir)

        then:
        list.out =~ /local\/job\.sh\.peb\s+built-in\n/
        show.out == Files.readString(Path.of('templates/local/job.sh.peb'))
    }

    def 'a project template overrides the built-in one and list says so'() {
        given:
        Files.createDirectories(dir.resolve('templates/local'))
        Files.writeString(dir.resolve('templates/local/job.sh.peb'), 'exec {{ unit.argv | shwords }}\n')

        when:
        def list = xmrun.run(['templates', 'list'], dir)
        def show = xmrun.run(['templates', 'show', 'local/job.sh.peb'], dir)

        then:
        list.out.contains("local/job.sh.peb                 launcher ${dir.toRealPath()}/templates  (overrides built-in)")
        show.out == 'exec {{ unit.argv | shwords }}\n'
    }
}
