package xmrun.dsl

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.model.Experiment
import xmrun.model.Sweep
import xmrun.plan.Plan

import java.nio.file.Files
import java.nio.file.Path

class SweepDslSpec extends Specification {
    @TempDir
    Path dir

    Path write(String name, String text) {
        Path file = dir.resolve(name)
        Files.createDirectories(file.parent)
        file.toFile().text = text
        file
    }

    Experiment load(String name, String text) {
        LauncherLoader.load(write(name, text), name)
    }

    static List<Map> points(Sweep sweep) {
        (0..<sweep.size()).collect { sweep.point(it) }
    }

    /** The sweep of a one-job launcher whose sweep block holds {@code body}. */
    List<Map> pointsOf(String body) {
        points(load('ok.xm.groovy', "experiment('x') {\n  job('t') {\n    command 'prog'\n    sweep {\n$body\n    }\n  }\n}").job('t').sweep())
    }

    def 'in a sweep block, #what gives the points listed'() {
        when:
        def got = pointsOf(body)

        then:
        got.size() == size
        got == expected

        where:
        what                                       | body                                                                          || size | expected
        'a product, the last axis fastest'         | 'lr 1, 2; seed 0..1'                                                          || 4    | [[lr: 1, seed: 0], [lr: 1, seed: 1], [lr: 2, seed: 0], [lr: 2, seed: 1]]
        'a concat of sweeps over the same axis'    | 'concat { sweep { lr 1, 2 }; sweep { lr 3 } }'                                || 3    | [[lr: 1], [lr: 2], [lr: 3]]
        'a concat over different axes'             | 'concat { sweep { lr 1, 2 }; sweep { lr 3; warmup 10, 20 } }'                 || 4    | [[lr: 1], [lr: 2], [lr: 3, warmup: 10], [lr: 3, warmup: 20]]
        'a concat times an axis'                   | 'concat { sweep { a 1 }; zip { a 2, 3; b 4, 5 } }; s 0, 1'                    || 6    | [[a: 1, s: 0], [a: 1, s: 1], [a: 2, b: 4, s: 0], [a: 2, b: 4, s: 1], [a: 3, b: 5, s: 0], [a: 3, b: 5, s: 1]]
        'an exclude'                               | 'lr 1, 2; seed 0..2; exclude { lr == 2 && seed > 0 }'                         || 4    | [[lr: 1, seed: 0], [lr: 1, seed: 1], [lr: 1, seed: 2], [lr: 2, seed: 0]]
        'two excludes, either one drops a point'   | 'a 1..4; exclude { a == 1 }; exclude { a == 3 }'                              || 2    | [[a: 2], [a: 4]]
        'an exclude written before its axes'       | 'exclude { a == 1 }; a 1, 2'                                                  || 1    | [[a: 2]]
        'an exclude scoped to its own block'       | 'sweep { a 1, 2; exclude { a == 1 } }; b 1, 2'                                || 2    | [[a: 2, b: 1], [a: 2, b: 2]]
        'an exclude of an axis a point lacks'      | 'concat { sweep { lr 1 }; sweep { lr 2; warmup 5 } }; exclude { warmup == 5 }' || 1    | [[lr: 1]]
        'an exclude reading the point as it'       | "axis 'batch-size', 32, 64; exclude { it['batch-size'] > 32 }"                 || 1    | [['batch-size': 32]]
        'an include kept though an exclude matches' | 'lr 1, 2; exclude { lr == 1 }; include lr: 1'                                || 2    | [[lr: 2], [lr: 1]]
        'an include with some axes left out'       | 'lr 1; seed 0; include lr: 5'                                                 || 2    | [[lr: 1, seed: 0], [lr: 5]]
        'includes alone'                           | 'include a: 1; include a: 2, b: 3'                                            || 2    | [[a: 1], [a: 2, b: 3]]
        'an axis named by a block word'            | "axis 'file', 'a.csv', 'b.csv'"                                               || 2    | [[file: 'a.csv'], [file: 'b.csv']]
        'a zip, a concat and an exclude together'  | 'zip { a 1, 2; b 3, 4 }; concat { sweep { c 0 }; sweep { d 1 } }; exclude { a == 2 && d == 1 }' || 3 | [[a: 1, b: 3, c: 0], [a: 1, b: 3, d: 1], [a: 2, b: 4, c: 0]]
    }

    def 'an exclude can use the launcher\'s own variables'() {
        when:
        Experiment e = load('ok.xm.groovy', '''
            def maxLr = 1e-2
            budget = 2
            experiment('x') {
                job('t') {
                    command 'prog'
                    sweep {
                        lr 1e-3, 1e-2, 1e-1
                        epochs 1, 2, 3
                        exclude { lr > maxLr || epochs > budget }
                    }
                }
            }''')

        then:
        points(e.job('t').sweep()) == [[lr: 0.001, epochs: 1], [lr: 0.001, epochs: 2], [lr: 0.01, epochs: 1], [lr: 0.01, epochs: 2]]
    }

    def 'a point of a concat over different axes gets arguments only for its own axes'() {
        given:
        Plan plan = new Plan(load('ok.xm.groovy', '''
            experiment('x') {
                job('t') {
                    command 'prog'
                    sweep {
                        concat {
                            sweep { lr 1e-3 }
                            sweep { warmup 500; lr 1e-2 }
                        }
                    }
                }
            }'''))

        expect:
        plan.allWorkUnits()*.argv() == [['prog', '--lr=0.001'], ['prog', '--lr=0.01', '--warmup=500']]
    }

    def 'an experiment sweep runs every job once per point, outside the job\'s own sweep, unless the job says sweep none'() {
        given:
        Experiment e = load('ok.xm.groovy', '''
            experiment('x') {
                job('prep') {
                    command 'prep'
                    sweep none
                }
                job('train') {
                    command 'train'
                    sweep { lr 1, 2 }
                }
                job('eval') { command 'eval' }
                sweep { seed 0, 1 }
            }''')
        Plan plan = new Plan(e)

        expect:
        points(e.job('prep').sweep()) == [[:]]
        points(e.job('train').sweep()) == [[seed: 0, lr: 1], [seed: 0, lr: 2], [seed: 1, lr: 1], [seed: 1, lr: 2]]
        points(e.job('eval').sweep()) == [[seed: 0], [seed: 1]]
        plan.workUnits(e.job('train'))*.argv() == [['train', '--seed=0', '--lr=1'], ['train', '--seed=0', '--lr=2'],
                                                   ['train', '--seed=1', '--lr=1'], ['train', '--seed=1', '--lr=2']]
        e.workUnitCount() == 7
    }

    static final String SHARED = '''// learning rates every lr study uses
lr 1e-3, 3e-4
seed 0..1
exclude { lr == 3e-4 && seed == 1 }
'''

    def 'one sweep file shared by two launchers gives both the same points'() {
        given:
        write('sweeps/lr.sweep.groovy', SHARED)
        Experiment a = load('a.xm.groovy', "experiment('a') { job('train') { command 'train'; sweep file('sweeps/lr.sweep.groovy') } }")
        Experiment b = load('sub/b.xm.groovy', """
            experiment('b') {
                code '..'
                job('finetune') {
                    command 'finetune'
                    sweep file('../sweeps/lr.sweep.groovy')
                }
            }""")
        def expected = [[lr: 0.001, seed: 0], [lr: 0.001, seed: 1], [lr: 0.0003, seed: 0]]

        expect:
        points(a.job('train').sweep()) == expected
        points(b.job('finetune').sweep()) == expected
        new Plan(a).allWorkUnits()*.point() == new Plan(b).allWorkUnits()*.point()
        new Plan(a).allWorkUnits()*.argv()*.tail() == new Plan(b).allWorkUnits()*.argv()*.tail()
    }

    def 'a sweep file can be named at experiment level, inside a sweep block, and by another sweep file'() {
        given:
        write('sweeps/lr.sweep.groovy', 'lr 1, 2')
        write('sweeps/wide.sweep.groovy', "sweep file('lr.sweep.groovy')   // next to this file\nwidth 64, 128")
        Experiment top = load('top.xm.groovy', """
            experiment('x') {
                sweep file('sweeps/wide.sweep.groovy')
                job('t') {
                    command 'prog'
                    sweep { batch 32 }
                }
            }""")
        Experiment inBlock = load('block.xm.groovy', """
            experiment('x') {
                job('t') {
                    command 'prog'
                    sweep {
                        sweep file('sweeps/lr.sweep.groovy')
                        batch 32, 64
                        exclude { lr == 2 && batch == 64 }
                    }
                }
            }""")

        expect:
        points(top.job('t').sweep()) == [[lr: 1, width: 64, batch: 32], [lr: 1, width: 128, batch: 32],
                                         [lr: 2, width: 64, batch: 32], [lr: 2, width: 128, batch: 32]]
        points(inBlock.job('t').sweep()) == [[lr: 1, batch: 32], [lr: 1, batch: 64], [lr: 2, batch: 32]]
    }

    def 'an exclude over a million points is tested point by point in seconds and kept by index'() {
        when:
        long start = System.nanoTime()
        Sweep sweep = load('big.xm.groovy', """
            experiment('x') {
                job('t') {
                    command 'prog'
                    sweep {
                        a 0..<1000
                        b 0..<1000
                        exclude { a != b }
                    }
                }
            }""").job('t').sweep()
        double seconds = (System.nanoTime() - start) / 1e9

        then:
        sweep.size() == 1000
        sweep.point(999) == [a: 999, b: 999]
        seconds < 20
    }
}
