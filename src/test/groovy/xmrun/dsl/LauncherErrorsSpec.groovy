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
        "experiment('x') {\n  job('a') {\n    command 'true'\n    args n: 1/0\n  }\n}"             || "bad.xm.groovy:4: ArithmeticException: Division by zero"
        "// nothing here\n"                                                                         || "bad.xm.groovy: no experiment('name') { ... } block"
    }

    def 'a missing launcher is a one-line error naming the file'() {
        when:
        LauncherLoader.load(dir.resolve('nope.xm.groovy'), 'nope.xm.groovy')

        then:
        UserError e = thrown()
        e.message == 'nope.xm.groovy: no such file'
    }
}
