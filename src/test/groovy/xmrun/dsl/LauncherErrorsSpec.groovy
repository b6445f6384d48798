package xmrun.dsl

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError

import java.nio.file.Path

class LauncherErrorsSpec extends Specification {
    @TempDir
    Path dir

    String errorOf(String launcher) {
        Path file = dir.resolve('bad.xm.groovy')
        file.toFile().text = launcher
        try {
            LauncherLoader.load(file, 'bad.xm.groovy')
            return 'no error'
        } catch (UserError e) {
            return e.message
        }
    }

    def 'a bad launcher is reported as one FILE:LINE: line'() {
        expect:
        errorOf(launcher) == message

        where:
        launcher                                                                                   || message
        "experiment('x') {\n  jbo('a') { command 'true' }\n}"                                       || "bad.xm.groovy:2: unknown word 'jbo' in experiment('x') { }; did you mean 'job'?"
        "experiment('x') {\n  job('a') {\n    comand 'true'\n  }\n}"                                || "bad.xm.groovy:3: unknown word 'comand' in job('a') { }; did you mean 'command'?"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    resources { cpu 4 }\n  }\n}"      || "bad.xm.groovy:4: unknown word 'cpu' in resources { }; did you mean 'cpus'?"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    resources { cpus 'four' }\n  }\n}" || "bad.xm.groovy:4: 'cpus' expects a whole number of at least 1, got 'four' (String)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    resources { gpus 1.5 }\n  }\n}"    || "bad.xm.groovy:4: 'gpus' expects a whole number of at least 0, got 1.5 (BigDecimal)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    resources {\n      memory '16Q'\n    }\n  }\n}" || "bad.xm.groovy:5: bad memory size '16Q': expected a number with K, M, G or T, like '16G'"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    resources { memory 16 }\n  }\n}"   || "bad.xm.groovy:4: 'memory' expects a string, got 16 (Integer)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    resources { time '2 hours' }\n  }\n}" || "bad.xm.groovy:4: bad time '2 hours': expected like '2h', '30m', '1d12h' or '01:30:00'"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    after 'trian'\n  }\n  job('train') { command 'true' }\n}" || "bad.xm.groovy:4: job 'a' runs after unknown job 'trian'; did you mean 'train'?"
        "experiment('x') {\n  job('a') { command 'true'; after 'b' }\n  job('b') {\n    command 'true'\n    after 'a'\n  }\n}" || "bad.xm.groovy:5: dependency cycle: a -> b -> a"
        "experiment('x') {\n  job('a') { command 'true'; after 'a' }\n}"                          || "bad.xm.groovy:2: job 'a' cannot run after itself"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    job('b') { command 'true' }\n  }\n}" || "bad.xm.groovy:4: 'job' belongs in experiment { }, not in job('a') { }"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    args lr: learningrate\n  }\n}"   || "bad.xm.groovy:4: unknown name 'learningrate' in job('a') { }"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    sweep { zip { a 1, 2; b 1, 2, 3 } }\n  }\n}" || "bad.xm.groovy:4: zip needs axes of one length, got a=2, b=3"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    sweep { zpi { a 1 } }\n  }\n}"    || "bad.xm.groovy:4: sweep axis 'zpi' cannot take a block; axes are written like `zpi 1, 2, 3`; did you mean 'zip'?"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    after 'b', when: 'sucess'\n  }\n  job('b') { command 'true' }\n}" || "bad.xm.groovy:4: after ... when: must be 'success', 'any' or 'failure', got 'sucess' (String); did you mean 'success'?"
        "experiment('x') {\n  job('a') { }\n}"                                                   || "bad.xm.groovy:2: job 'a' has no command; add e.g. command 'python3', 'train.py'"
        "experiment('x') {\n  job('a') { command 'true' }\n  job('a') { command 'false' }\n}"      || "bad.xm.groovy:3: job 'a' is already declared at line 2"
        "experiment('x') {\n  job('a b') { command 'true' }\n}"                                     || "bad.xm.groovy:2: job name 'a b' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    env 'XM_JOB_NAME': 'x'\n  }\n}"  || "bad.xm.groovy:4: env name 'XM_JOB_NAME' is reserved: xmrun sets XM_* variables itself"
        "experiment('x') {\n  job('a') { command 'true' \n}"                                        || "bad.xm.groovy:3: syntax error: unexpected input (is a '}' or ')' missing?)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    args n: 1/0\n  }\n}"             || "bad.xm.groovy:4: Division by zero"
        "// nothing here\n"                                                                         || "bad.xm.groovy:1: no experiment('name') { ... } block"
        "experiment('x') {\n  cluster 'a,b'\n  job('a') { command 'true' }\n}"                  || "bad.xm.groovy:2: cluster names are given one per argument: cluster 'mila', 'narval', got 'a,b'"
        "experiment('x') {\n  cluster 'a', 'b', 'a'\n  job('a') { command 'true' }\n}"           || "bad.xm.groovy:2: cluster 'a' is named twice"
        "experiment('x') {\n  cluster 'a'\n  cluster 'b'\n  job('a') { command 'true' }\n}"     || "bad.xm.groovy:3: 'cluster' is already set in experiment('x') { } at line 2"
    }

    def 'a missing launcher is a one-line error naming the file'() {
        when:
        LauncherLoader.load(dir.resolve('nope.xm.groovy'), 'nope.xm.groovy')

        then:
        UserError e = thrown()
        e.message == 'nope.xm.groovy: no such file'
    }

    static String launcherWith(String jobLines) {
        "experiment('x') {\n  job('a') {\n    command 'true'\n$jobLines\n  }\n}"
    }

    def 'a bad sweep is reported at the line that made it: #message'() {
        expect:
        errorOf(launcher) == message

        where:
        launcher                                                                                   || message
        launcherWith("    sweep {\n      lr 1, 2\n      lr 3\n    }")                            || "bad.xm.groovy:6: axis 'lr' appears twice in one sweep"
        launcherWith("    sweep {\n      concat {\n        lr 1\n      }\n    }")                 || "bad.xm.groovy:6: concat { } joins whole sweeps, so axis 'lr' needs a sweep { } of its own, like concat { sweep { lr ... }; sweep { ... } }"
        launcherWith("    sweep {\n      seed 0..4\n      exclude { sed == 0 }\n    }")             || "bad.xm.groovy:6: unknown name 'sed' in exclude { }; did you mean 'seed'?"
        launcherWith("    sweep {\n      seed 0..4\n      exclude { seed >= 0 }\n    }")            || "bad.xm.groovy:6: exclude { } drops all 5 points of the sweep"
        launcherWith("    sweep {\n      seed 0..4\n      include sed: 5\n    }")                   || "bad.xm.groovy:6: include names axis 'sed', which this sweep does not have; did you mean 'seed'?"
        launcherWith("    sweep {\n      seed 0..4\n      include seed: [5, 6]\n    }")             || "bad.xm.groovy:6: 'include' adds one point, so 'seed' takes one value, got [5, 6] (ArrayList)"
        launcherWith("    sweep {\n      a 1..10_000\n      b 1..1001\n      exclude { a == b }\n    }") || "bad.xm.groovy:7: a filtered sweep tests every point, and this one has 10,010,000 points; at most 10,000,000 can be filtered"
        launcherWith("    sweep {\n      include 5, 6\n    }")                                     || "bad.xm.groovy:5: 'include' in sweep { } cannot take (Integer, Integer); an axis called 'include' is written axis 'include', 1, 2"
        launcherWith("    sweep {\n      file 'a.csv'\n      seed 0\n    }")                      || "bad.xm.groovy:5: file('a.csv') on its own does nothing: write sweep file('a.csv') to use the sweep file, or axis 'file', ... for an axis called 'file'"
        launcherWith("    sweep {\n      job('b') { command 'true' }\n    }")                      || "bad.xm.groovy:5: 'job' belongs in experiment { }, not in sweep { }"
        launcherWith("    sweep { seed 1 }\n    sweep none")                                       || "bad.xm.groovy:5: job 'a' already has a sweep; put every axis in one sweep { } block"
        launcherWith("    exclude { lr > 1 }")                                                      || "bad.xm.groovy:4: 'exclude' belongs in sweep { }, not in job('a') { }"
        "experiment('x') {\n  sweep none\n  job('a') { command 'true' }\n}"                     || "bad.xm.groovy:2: unknown name 'none' in experiment('x') { }"
        "experiment('x') {\n  sweep { seed 0..2 }\n  job('a') {\n    command 'true'\n    sweep { seed 5 }\n  }\n}" || "bad.xm.groovy:5: job 'a' sweeps 'seed', which the experiment's sweep already does"
        "experiment('x') {\n  sweep { seed 0..2 }\n  job('a') {\n    command 'true'\n    args seed: 1\n  }\n}"    || "bad.xm.groovy:3: job 'a' sets 'seed' both in args and in the experiment's sweep"
        "experiment('x') {\n  sweep { seed 0..2 }\n  job('a') { command 'true' }\n  sweep { lr 1 }\n}"         || "bad.xm.groovy:4: experiment 'x' already has a sweep; put every axis in one sweep { } block"
    }

    String errorWithSweepFile(String sweepFile, String launcherLine = "    sweep file('sweeps/lr.sweep.groovy')") {
        dir.resolve('sweeps').toFile().mkdirs()
        dir.resolve('sweeps/lr.sweep.groovy').toFile().text = sweepFile
        errorOf(launcherWith(launcherLine)).replace(dir.toString(), 'DIR')
    }

    def 'a mistake in a sweep file is reported at its own file and line: #message'() {
        expect:
        errorWithSweepFile(sweepFile) == message

        where:
        sweepFile                                           || message
        "lr 1e-3, 3e-4\nseed 0..4\nexclude { sed == 0 }"  || "sweeps/lr.sweep.groovy:3: unknown name 'sed' in exclude { }; did you mean 'seed'?"
        "lr 1e-3, 3e-4\nzpi { a 1 }"                       || "sweeps/lr.sweep.groovy:2: sweep axis 'zpi' cannot take a block; axes are written like `zpi 1, 2, 3`; did you mean 'zip'?"
        "lr 1e-3\n\nlr 3e-4"                              || "sweeps/lr.sweep.groovy:3: axis 'lr' appears twice in one sweep"
        "lr 1e-3, 3e-4\nseed lr_values"                    || "sweeps/lr.sweep.groovy:2: unknown name 'lr_values' in the sweep file"
        "lr 1e-3, 3e-4\nexclude {\n  lr > 0\n}"          || "sweeps/lr.sweep.groovy:2: exclude { } drops all 2 points of the sweep"
        "lr 1e-3, 3e-4\nexclude {\n  lr > 1 / 0\n}"      || "sweeps/lr.sweep.groovy:3: Division by zero"
        "lr 1\nexclude {\n  throw new IllegalArgumentException('no such lr')\n}" || "sweeps/lr.sweep.groovy:3: no such lr"
        "zip {\n  a 1, 2\n  b 1, 2, 3\n}"                || "sweeps/lr.sweep.groovy:3: zip needs axes of one length, got a=2, b=3"
        "lr 1e-3, 3e-4\nseed (0..4\n"                     || "sweeps/lr.sweep.groovy:2: syntax error: unexpected input (is a '}' or ')' missing?)"
        "experiment('x') {\n}"                             || "sweeps/lr.sweep.groovy:1: 'experiment' belongs in the launcher (top level), not in sweep { }"
        "lr 1\nsweep file('lr.sweep.groovy')"              || "sweeps/lr.sweep.groovy:2: sweep file 'lr.sweep.groovy' would read itself again: bad.xm.groovy -> lr.sweep.groovy -> lr.sweep.groovy"
    }

    def 'a sweep file that is not there is reported at the line naming it: #message'() {
        expect:
        errorWithSweepFile('lr 1', launcherLine) == message

        where:
        launcherLine                                                  || message
        "    sweep file('sweeps/lr.sweep.grovy')"                     || "bad.xm.groovy:4: sweep file 'sweeps/lr.sweep.grovy' not found (relative to this file); did you mean 'sweeps/lr.sweep.groovy'?"
        "    sweep file('lr.sweep.groovy')"                           || "bad.xm.groovy:4: sweep file 'lr.sweep.groovy' not found (relative to this file)"
        "    sweep {\n      seed 1\n      sweep file('sweeps/lr.sweep.groovy')\n      lr 2\n    }" || "bad.xm.groovy:7: axis 'lr' appears twice in one sweep"
    }
}
