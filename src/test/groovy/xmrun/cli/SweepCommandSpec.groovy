package xmrun.cli

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess

import java.nio.file.Files
import java.nio.file.Path

/** {@code xmrun sweep FILE}, run as a user runs it. */
class SweepCommandSpec extends Specification {
    @TempDir
    Path dir

    XmrunProcess xmrun

    def setup() {
        xmrun = new XmrunProcess(dir.resolve('home'))
    }

    Path write(String name, String text) {
        Path file = dir.resolve(name)
        Files.createDirectories(file.parent)
        file.toFile().text = text
        file
    }

    def 'a launcher prints every job\'s points with their work unit ids, and records nothing'() {
        when:
        def r = xmrun.run('sweep', 'dsl-examples/shared-sweep.xm.groovy')

        then:
        r.exitCode == 0
        r.err == ''
        r.out == '''experiment 'shared-sweep' (dsl-examples/shared-sweep.xm.groovy): 2 jobs, 7 work units
                   |job prepare: 1 work unit, no sweep
                   |job train: 6 work units over seed, lr, warmup
                   |  WU  #  seed  lr      warmup
                   |   2  0  0     0.001   0
                   |   3  1  0     0.001   100
                   |   4  2  0     0.0003  100
                   |   5  3  1     0.001   0
                   |   6  4  1     0.001   100
                   |   7  5  1     0.0003  100
                   |'''.stripMargin()
        xmrun.run('list', '--json').out.trim() == '[]'
    }

    def 'a sweep file prints its points; an axis a point lacks shows as -, and values are quoted as for a shell'() {
        given:
        write('mixed.sweep.groovy', """
            concat {
                sweep { lr 1e-3; tag 'plain', 'two words' }
                sweep { lr 1e-2; warmup 500 }
            }""")

        when:
        def r = xmrun.run(['sweep', 'mixed.sweep.groovy'], dir)

        then:
        r.exitCode == 0
        r.out == '''mixed.sweep.groovy: 3 points over lr, tag, warmup
                   |  #  lr     tag          warmup
                   |  0  0.001  plain        -
                   |  1  0.001  'two words'  -
                   |  2  0.01   -            500
                   |'''.stripMargin()
    }

    def '--json gives the points with their values typed, leaving out axes a point lacks'() {
        when:
        def r = xmrun.run('sweep', 'dsl-examples/sweep-algebra.xm.groovy', '--json')
        def json = new JsonSlurper().parseText(r.out)

        then:
        r.exitCode == 0
        json.file == 'dsl-examples/sweep-algebra.xm.groovy'
        json.experiment == 'sweep-algebra'
        json.sweeps.size() == 1
        with(json.sweeps[0]) {
            job == 'train'
            size == 5
            axes == ['lr', 'warmup', 'optimizer']
            omitted == 0
            points == [[workUnit: 1, index: 0, values: [lr: 0.001, warmup: 0]],
                       [workUnit: 2, index: 1, values: [lr: 0.001, warmup: 100]],
                       [workUnit: 3, index: 2, values: [lr: 0.0003, warmup: 100]],
                       [workUnit: 4, index: 3, values: [lr: 0.01, optimizer: 'sgd']],
                       [workUnit: 5, index: 4, values: [lr: 0.1, warmup: 0]]]
        }
    }

    def 'a sweep of a million points prints its first and last N with the count left out, in table and JSON'() {
        given:
        write('big.sweep.groovy', 'a 0..<1000\nb 0..<1000\n')

        when:
        def table = xmrun.run(['sweep', 'big.sweep.groovy', '--limit', '2'], dir)
        def json = xmrun.run(['sweep', 'big.sweep.groovy', '--limit', '1', '--json'], dir)

        then:
        table.exitCode == 0
        table.out == '''big.sweep.groovy: 1,000,000 points over a, b
                       |       #  a    b
                       |       0  0    0
                       |       1  0    1
                       |  ... 999,996 more points ...
                       |  999998  999  998
                       |  999999  999  999
                       |'''.stripMargin()
        json.exitCode == 0
        new JsonSlurper().parseText(json.out) == [file: 'big.sweep.groovy', sweeps: [[size: 1_000_000, axes: ['a', 'b'], omitted: 999_998,
                points: [[index: 0, values: [a: 0, b: 0]], [index: 999_999, values: [a: 999, b: 999]]]]]]
    }

    def '--limit 0 prints every point'() {
        given:
        write('five.sweep.groovy', 'a 1..5')

        when:
        def r = xmrun.run(['sweep', 'five.sweep.groovy', '--limit', '0'], dir)
        def limited = xmrun.run(['sweep', 'five.sweep.groovy', '--limit', '2'], dir)

        then:
        r.out.readLines().size() == 7
        limited.out.readLines() == ['five.sweep.groovy: 5 points over a', '  #  a', '  0  1', '  1  2', '  ... 1 more point ...', '  3  4', '  4  5']
    }

    def 'a mistake exits 2 with one FILE:LINE line: #why'() {
        given:
        write('sweeps/bad.sweep.groovy', "lr 1e-3, 3e-4\nseed 0..4\nexclude { sed == 0 }\n")
        write('bad.xm.groovy', "experiment('x') {\n  job('t') {\n    command 'true'\n    sweep file('sweeps/bad.sweep.groovy')\n  }\n}\n")

        when:
        def r = xmrun.run(args, dir)

        then:
        r.exitCode == 2
        r.out == ''
        r.err.readLines()[0] == message

        where:
        why                                | args                                             || message
        'in a sweep file'                  | ['sweep', 'sweeps/bad.sweep.groovy']             || "sweeps/bad.sweep.groovy:3: unknown name 'sed' in exclude { }; did you mean 'seed'?"
        'in a sweep file a launcher names' | ['sweep', 'bad.xm.groovy']                       || "sweeps/bad.sweep.groovy:3: unknown name 'sed' in exclude { }; did you mean 'seed'?"
        'a file that is not there'         | ['sweep', 'sweeps/nope.sweep.groovy']            || 'sweeps/nope.sweep.groovy: no such file'
        'a negative limit'                 | ['sweep', 'bad.xm.groovy', '--limit', '-1']      || 'xmrun: --limit must be 0 (all) or more, got -1'
        'ARGS for a sweep file'            | ['sweep', 'sweeps/bad.sweep.groovy', '--', 'x']  || 'xmrun sweep: sweeps/bad.sweep.groovy is a sweep file (launchers end in .xm.groovy), so it takes no ARGS'
        'a misspelt command'               | ['swep', 'x']                                    || "xmrun: unknown command 'swep'; did you mean 'sweep'? (a launcher file needs its path, e.g. ./swep.xm.groovy)"
    }
}
