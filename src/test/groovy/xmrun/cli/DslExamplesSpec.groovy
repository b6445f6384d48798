package xmrun.cli

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.docs.Claims
import xmrun.dsl.LauncherLoader
import xmrun.dsl.SweepFile

import java.nio.file.Files
import java.nio.file.Path

/** Every launcher in dsl-examples/ runs to success and builds what its comments say, as the README promises. */
class DslExamplesSpec extends Specification {
    static final Path EXAMPLES = Path.of('dsl-examples')

    @TempDir
    Path home

    /** dsl-examples/**&#47;*SUFFIX, as paths relative to dsl-examples/ */
    static List<String> files(String suffix) {
        Files.walk(EXAMPLES).withCloseable { s ->
            s.filter { it.fileName.toString().endsWith(suffix) }.map { EXAMPLES.relativize(it).toString() }.sorted().toList()
        }
    }

    static List<String> examples() {
        files('.xm.groovy')
    }

    def 'there are examples to run'() {
        expect:
        examples().containsAll(['hello.xm.groovy', 'sweep.xm.groovy', 'pipeline.xm.groovy', 'shared-sweep.xm.groovy', 'sweep-algebra.xm.groovy'])
        files('.sweep.groovy') == ['sweeps/lr.sweep.groovy']
    }

    def 'dsl-examples/#name runs to success'() {
        when:
        def r = new XmrunProcess(home).run('launch', EXAMPLES.resolve(name).toString(), '--wait')

        then:
        r.exitCode == 0
        r.out =~ /experiment 1 '[\w-]+' on \w+: \d+ succeeded\n/

        where:
        name << examples()
    }

    def 'dsl-examples/#name builds the counts and arguments its comments state'() {
        given:
        Path file = EXAMPLES.resolve(name)
        String display = "dsl-examples/$name"
        List<Claims.Claim> claims = Claims.of(Files.readString(file))

        when:
        Claims.Built built = name.endsWith('.xm.groovy') ? Claims.Built.of(LauncherLoader.load(file, display))
                : Claims.Built.of(SweepFile.loadAlone(file, display))

        then:
        Claims.check(claims, built) { int line -> "$display:$line" } == []

        where:
        name << files('.groovy')
    }

    def 'the examples state counts and arguments that are checked'() {
        when:
        List<Claims.Claim> claims = files('.groovy').collectMany { Claims.of(Files.readString(EXAMPLES.resolve(it))) }

        then:
        claims.count { it.count != null } >= 4
        claims.count { it.words } >= 2
    }
}
