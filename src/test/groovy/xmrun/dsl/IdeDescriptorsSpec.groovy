package xmrun.dsl

import spock.lang.Shared
import spock.lang.Specification

import java.lang.reflect.Modifier
import java.nio.file.Files
import java.nio.file.Path

/**
 * The IDE descriptions the build writes into target/classes (so into the jar): xmrun.gdsl for IntelliJ IDEA
 * and dsld/xmrun.dsld for Groovy-Eclipse. Every word of every context is in both, and evaluated against
 * stand-ins of the IDEs' GDSL and DSLD functions, each offers the words of the block around the caret.
 */
class IdeDescriptorsSpec extends Specification {
    static final Path CLASSES = Path.of('target/classes')
    static final Path GDSL = CLASSES.resolve('xmrun.gdsl')
    static final Path DSLD = CLASSES.resolve('dsld/xmrun.dsld')

    @Shared
    String gdsl = Files.readString(GDSL)
    @Shared
    String dsld = Files.readString(DSLD)

    /** Every DslContext subclass of the build, found in its class files (not from a list that could miss one). */
    static List<Class<? extends DslContext>> contexts() {
        Files.list(CLASSES.resolve('xmrun/dsl')).withCloseable { files ->
            files.map { it.fileName.toString() }.filter { it.endsWith('Context.class') && !it.contains('$') }
                    .map { Class.forName('xmrun.dsl.' + it.replace('.class', '')) }
                    .filter { DslContext.isAssignableFrom(it) && !Modifier.isAbstract(it.modifiers) }
                    .toList()
        } as List<Class<? extends DslContext>>
    }

    /** A context's words as a user writes them; an exclude { } block's are the sweep's axis names, the user's own. */
    static Set<String> wordsOf(Class<? extends DslContext> context) {
        context == PlacementContext ? (IdeDescriptors.PLACEMENT_WORDS.values().flatten() as Set<String>)
                : context == PointContext ? [] as Set : DslContext.words(context)
    }

    static Set<String> offeredIn(String text) {
        (text =~ /method name: '([^']+)'/).collect { it[1] } as Set
    }

    def 'the build wrote both files, and both are Groovy'() {
        expect:
        Files.size(GDSL) > 1000 && Files.size(DSLD) > 1000
        new GroovyShell().parse(gdsl, 'xmrun.gdsl') != null
        new GroovyShell().parse(dsld, 'xmrun.dsld') != null
    }

    def 'every word of #context.simpleName is in the GDSL and the DSLD'() {
        expect:
        wordsOf(context) - offeredIn(gdsl) == [] as Set
        wordsOf(context) - offeredIn(dsld) == [] as Set

        where:
        context << contexts()
    }

    def 'there are contexts to check, the top-level words are there too, and nothing is offered that is no word'() {
        given:
        Set<String> all = contexts().collectMany { wordsOf(it) } as Set
        all.addAll(['experiment', 'cluster', 'repositories'])

        expect:
        contexts()*.simpleName.containsAll(['ExperimentContext', 'JobContext', 'ResourcesContext', 'SweepContext', 'ClusterContext',
                                            'SshContext', 'RepositoriesContext', 'PlacementContext'])
        offeredIn(gdsl) == all
        offeredIn(dsld) == all
    }

    def 'in a #file inside #blocks, both offer the words of #expected'() {
        given:
        Set<String> words = expected instanceof Class ? wordsOf(expected as Class) : expected as Set<String>

        expect:
        Gdsl.offered(gdsl, file, blocks) == words
        Dsld.offered(dsld, file, blocks) == words

        where:
        file                                  | blocks                                       || expected
        '/p/train.xm.groovy'                  | []                                           || ['experiment']
        '/p/train.xm.groovy'                  | ['experiment']                               || ExperimentContext
        '/p/train.xm.groovy'                  | ['experiment', 'job']                        || JobContext
        '/p/train.xm.groovy'                  | ['experiment', 'job', 'resources']           || ResourcesContext
        '/p/train.xm.groovy'                  | ['experiment', 'job', 'sweep']               || SweepContext
        '/p/train.xm.groovy'                  | ['experiment', 'job', 'sweep', 'concat', 'sweep'] || SweepContext
        '/p/train.xm.groovy'                  | ['experiment', 'sweep', 'zip']               || SweepContext
        '/p/train.xm.groovy'                  | ['experiment', 'job', 'sweep', 'env']        || SweepContext
        '/home/me/.config/xmrun/clusters.groovy' | []                                        || ['cluster', 'repositories']
        '/home/me/.config/xmrun/clusters.groovy' | ['cluster']                               || ClusterContext
        '/home/me/.config/xmrun/clusters.groovy' | ['cluster', 'ssh']                        || SshContext
        '/p/xmrun.config.groovy'              | ['cluster', 'slurm']                         || ClusterContext.SLURM_WORDS
        '/p/xmrun.config.groovy'              | ['cluster', 'sge']                           || ClusterContext.SGE_WORDS
        '/p/xmrun.config.groovy'              | ['repositories']                             || RepositoriesContext
        '/p/sweeps/lr.sweep.groovy'           | []                                           || SweepContext
        '/p/sweeps/lr.sweep.groovy'           | ['zip']                                      || SweepContext
        '/p/build.groovy'                     | []                                           || []
        '/p/build.groovy'                     | ['experiment', 'job']                        || []
    }

    def 'a build from the same classes writes the same files'() {
        expect:
        IdeDescriptors.gdsl() == gdsl
        IdeDescriptors.dsld() == dsld
    }

    /** IntelliJ's GDSL functions as far as the file uses them: contexts by path and scope, enclosingCall, method. */
    static class Gdsl {
        static Set<String> offered(String text, String file, List<String> blocks) {
            List<List> contributors = []
            Binding binding = new Binding()
            binding.context = { Map m -> m }
            binding.scriptScope = { -> 'script' }
            binding.closureScope = { -> 'closure' }
            binding.contributor = { Map ctx, Closure body -> contributors << [ctx, body] }
            new GroovyShell(binding).evaluate(text, 'xmrun.gdsl')
            Set<String> out = []
            contributors.each { Map ctx, Closure body ->
                boolean scopeOk = ctx.scope == (blocks ? 'closure' : 'script')
                if (scopeOk && file ==~ ctx.pathRegexp) {
                    Closure c = body.rehydrate(new Object() {
                        Object enclosingCall(String name) { name in blocks ? name : null }

                        void method(Map m) { out << (m.name as String) }
                    }, null, null)
                    c.resolveStrategy = Closure.DELEGATE_ONLY
                    c()
                }
            }
            out
        }
    }

    /** Groovy-Eclipse's DSLD pointcuts as far as the file uses them, combined with & | ~. */
    static class Dsld {
        static class Pc {
            Closure<Boolean> test

            Pc and(Pc o) { new Pc(test: { s -> test(s) && o.test(s) }) }

            Pc or(Pc o) { new Pc(test: { s -> test(s) || o.test(s) }) }

            Pc bitwiseNegate() { new Pc(test: { s -> !test(s) }) }
        }

        static Set<String> offered(String text, String file, List<String> blocks) {
            Map state = [file: file, blocks: blocks]
            Binding binding = new Binding()
            binding.fileExtension = { String ext -> new Pc(test: { s -> s.file.endsWith('.' + ext) }) }
            binding.fileName = { String name -> new Pc(test: { s -> s.file.substring(s.file.lastIndexOf('/') + 1) == name }) }
            binding.isThisType = { -> new Pc(test: { s -> true }) }
            binding.inClosure = { -> new Pc(test: { s -> !s.blocks.isEmpty() }) }
            binding.enclosingCallName = { String name -> new Pc(test: { s -> name in s.blocks }) }
            Set<String> out = []
            binding.contribute = { Pc pc, Closure body ->
                if (pc.test(state)) {
                    Closure c = body.rehydrate(new Object() {
                        void method(Map m) { out << (m.name as String) }
                    }, null, null)
                    c.resolveStrategy = Closure.DELEGATE_ONLY
                    c()
                }
            }
            new GroovyShell(binding).evaluate(text, 'xmrun.dsld')
            out
        }
    }
}
