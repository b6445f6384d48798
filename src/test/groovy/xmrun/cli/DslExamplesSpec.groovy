package xmrun.cli

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess

import java.nio.file.Files
import java.nio.file.Path

/** Every launcher in dsl-examples/ runs to success, as the README promises. */
class DslExamplesSpec extends Specification {
    static final Path EXAMPLES = Path.of('dsl-examples')

    @TempDir
    Path home

    static List<String> examples() {
        Files.list(EXAMPLES).withCloseable { s -> s.filter { it.toString().endsWith('.xm.groovy') }.map { it.fileName.toString() }.sorted().toList() }
    }

    def 'there are examples to run'() {
        expect:
        examples().containsAll(['hello.xm.groovy', 'sweep.xm.groovy', 'pipeline.xm.groovy', 'shared-sweep.xm.groovy', 'sweep-algebra.xm.groovy'])
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
}
