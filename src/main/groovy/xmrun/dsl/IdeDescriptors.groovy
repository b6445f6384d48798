package xmrun.dsl

import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.nio.file.Files
import java.nio.file.Path

/**
 * Writes the IDE descriptions of the DSL, made at build time from the context classes themselves so they
 * cannot drift from what xmrun accepts: {@code xmrun.gdsl} (IntelliJ IDEA reads *.gdsl files on a module's
 * classpath) and {@code dsld/xmrun.dsld} (Groovy-Eclipse reads dsld/ folders of the jars on a project's
 * classpath). Both offer, in launchers, cluster configs and sweep files, the words of the block around the
 * caret with their parameter and return types.
 *
 * <p>The blocks are found by following {@code @DelegatesTo} from each file's top-level words; a block's
 * words are its context's public methods ({@link DslContext#words}). The innermost block is told by its
 * name: the words of a block are offered inside a call of that name and not inside a call opening a block
 * of another context below it.
 */
class IdeDescriptors {
    /** {@code slurm { }} and {@code sge { }} take their words from a list, not from methods. */
    static final Map<String, List<String>> PLACEMENT_WORDS = [slurm: ClusterContext.SLURM_WORDS, sge: ClusterContext.SGE_WORDS,
                                                              container: ClusterContext.CONTAINER_WORDS]

    /** One way to call a word: its parameters (name and type) and what it returns. */
    static class Overload {
        List<List<String>> params
        String returns
    }

    /** A word of a block or of a file's top level. */
    static class Word {
        String name
        List<Overload> overloads = []
    }

    /** Blocks (by their names) that share a context, so the same words. */
    static class Block {
        List<String> names = []
        Class<?> context
        List<Word> words
        /** Blocks of other contexts that can open inside this one, at any depth. */
        Set<String> inner = new TreeSet<>()

        String label() { names.collect { "$it { }" }.join(', ') }
    }

    /** A kind of DSL file: launchers, cluster configs, sweep files. */
    static class FileKind {
        String id
        String description
        /** IntelliJ: the file's path matches; Groovy-Eclipse: the pointcut for the file. */
        String pathRegexp
        String dsldFile
        List<Word> top
        List<Block> blocks
    }

    static List<FileKind> fileKinds() {
        [
                kind('launcher', 'launchers (*.xm.groovy)', /.*\.xm\.groovy/, "fileExtension('xm.groovy')", XmScript, blockWords(XmScript)),
                kind('config', 'cluster configs (clusters.groovy, xmrun.config.groovy)', /.*\/(clusters|xmrun\.config)\.groovy/,
                        "(fileName('clusters.groovy') | fileName('xmrun.config.groovy'))", ConfigScript, blockWords(ConfigScript)),
                // a sweep file's top level is the inside of sweep { }
                kind('sweep', 'sweep files (*.sweep.groovy)', /.*\.sweep\.groovy/, "fileExtension('sweep.groovy')", SweepContext,
                        words(SweepContext, DslContext.words(SweepContext))),
        ]
    }

    private static FileKind kind(String id, String description, String pathRegexp, String dsldFile, Class<?> top, List<Word> topWords) {
        Map<String, Class<?>> byName = [:]
        Map<Class<?>, Set<String>> reachable = [:]
        collectBlocks(top, byName, reachable, new HashSet<Class<?>>())
        Map<String, Block> blocks = [:]
        byName.each { String name, Class<?> context ->
            String key = context == PlacementContext ? "$context.name:$name" : context.name
            Block b = blocks.computeIfAbsent(key) { new Block(context: context, words: blockWords(name, context)) }
            b.names << name
        }
        blocks.values().each { Block b ->
            b.inner.addAll(reachable[b.context].findAll { String n -> byName[n] != b.context || b.context == PlacementContext && !(n in b.names) })
        }
        new FileKind(id: id, description: description, pathRegexp: pathRegexp, dsldFile: dsldFile, top: topWords,
                blocks: blocks.values().toList())
    }

    /** Follows {@code @DelegatesTo} from a class's methods: block name to its context, and every block name below each context. */
    private static Set<String> collectBlocks(Class<?> from, Map<String, Class<?>> byName, Map<Class<?>, Set<String>> reachable, Set<Class<?>> visiting) {
        if (reachable.containsKey(from)) {
            return reachable[from]
        }
        Set<String> below = new TreeSet<>()
        if (!visiting.add(from)) {
            return below // a context inside itself (sweep { sweep { } }): what it reaches is being collected
        }
        for (Method m : publicInstanceMethods(from)) {
            Class<?> context = delegateOf(m)
            if (context == null) {
                continue
            }
            Class<?> known = byName.putIfAbsent(m.name, context)
            if (known != null && known != context) {
                throw new IllegalStateException("block '$m.name' opens ${known.simpleName} in one place and ${context.simpleName} in another;" +
                        " the IDE descriptions tell blocks apart by name")
            }
            below << m.name
            below.addAll(collectBlocks(context, byName, reachable, visiting))
        }
        reachable[from] = below
        below
    }

    private static Class<?> delegateOf(Method m) {
        for (def annotations : m.parameterAnnotations) {
            DelegatesTo d = annotations.find { it instanceof DelegatesTo } as DelegatesTo
            if (d != null) {
                return d.value()
            }
        }
        null
    }

    private static List<Method> publicInstanceMethods(Class<?> type) {
        type.methods.findAll { Method m -> Modifier.isPublic(m.modifiers) && !Modifier.isStatic(m.modifiers) && !m.synthetic }
                .sort { Method a, Method b -> a.name <=> b.name ?: a.parameterCount <=> b.parameterCount ?: a.toString() <=> b.toString() }
    }

    /** A script's top-level words: the blocks it opens. */
    private static List<Word> blockWords(Class<?> script) {
        words(script, publicInstanceMethods(script).findAll { delegateOf(it) != null }*.name as Set<String>)
    }

    private static List<Word> blockWords(String name, Class<?> context) {
        if (context == PlacementContext) {
            List<String> placement = PLACEMENT_WORDS[name]
            if (placement == null) {
                throw new IllegalStateException("$name { } takes its words from a list: add it to IdeDescriptors.PLACEMENT_WORDS")
            }
            return placement.collect { new Word(name: it, overloads: [new Overload(params: [['value', 'java.lang.String']], returns: 'void')]) }
        }
        words(context, DslContext.words(context as Class<? extends DslContext>))
    }

    private static List<Word> words(Class<?> type, Set<String> names) {
        Map<String, Word> out = new TreeMap<>()
        for (Method m : publicInstanceMethods(type)) {
            if (m.name in names) {
                Word w = out.computeIfAbsent(m.name) { new Word(name: m.name) }
                w.overloads << new Overload(params: params(m), returns: typeName(m.returnType))
            }
        }
        out.values().toList()
    }

    private static List<List<String>> params(Method m) {
        List<List<String>> out = []
        m.parameterTypes.eachWithIndex { Class<?> t, int i ->
            out << [paramName(t, i, m.parameterCount), typeName(t)]
        }
        out
    }

    /** Compiled Groovy keeps no parameter names; these say what each kind of parameter is for. */
    private static String paramName(Class<?> t, int index, int count) {
        if (Closure.isAssignableFrom(t)) {
            return 'body'
        }
        if (Map.isAssignableFrom(t)) {
            return 'named'
        }
        if (t.array) {
            return 'values'
        }
        if (t == String && index == 0 && count > 1) {
            return 'name'
        }
        t == SweepFile ? 'file' : t == NoSweep ? 'none' : 'value'
    }

    private static String typeName(Class<?> t) {
        t.array ? typeName(t.componentType) + '[]' : t.name
    }

    // ---- writers

    static final String HEADER = '// Generated at build time by xmrun.dsl.IdeDescriptors from the DSL\'s context classes; do not edit.\n'

    static String gdsl() {
        StringBuilder b = new StringBuilder(HEADER)
        b << '// IntelliJ IDEA: completion and types for xmrun files, from any *.gdsl on the module\'s classpath (the xmrun jar holds this one).\n'
        for (FileKind k : fileKinds()) {
            b << "\n// ---- ${k.description}\n"
            b << "def ${k.id}File = ${literal(k.pathRegexp)}\n"
            b << "contributor(context(pathRegexp: ${k.id}File, scope: scriptScope())) {\n"
            k.top.each { b << gdslMethods(it, "the top level of ${k.description}", '    ') }
            b << "}\n"
            b << "contributor(context(pathRegexp: ${k.id}File, scope: closureScope())) {\n"
            for (Block block : k.blocks) {
                b << "    // ${block.context.simpleName}\n"
                b << "    if ((${block.names.collect { "enclosingCall('$it')" }.join(' || ')})"
                b << (block.inner ? " && !(${block.inner.collect { "enclosingCall('$it')" }.join(' || ')})" : '') << ") {\n"
                block.words.each { b << gdslMethods(it, block.label(), '        ') }
                b << "    }\n"
            }
            b << "}\n"
        }
        b.toString()
    }

    private static String gdslMethods(Word w, String where, String indent) {
        w.overloads.collect { Overload o ->
            "${indent}method name: '${w.name}', type: '${o.returns}', params: ${map(o.params)}, doc: '${w.name}: in $where'\n"
        }.join('')
    }

    static String dsld() {
        StringBuilder b = new StringBuilder(HEADER)
        b << '// Groovy-Eclipse: completion and types for xmrun files, from dsld/*.dsld in the jars on the project\'s classpath.\n'
        for (FileKind k : fileKinds()) {
            b << "\n// ---- ${k.description}\n"
            b << "def ${k.id}File = ${k.dsldFile}\n"
            b << "contribute(${k.id}File & isThisType() & ~inClosure()) {\n"
            k.top.each { b << dsldMethods(it, "the top level of ${k.description}", '    ') }
            b << "}\n"
            for (Block block : k.blocks) {
                b << "// ${block.context.simpleName}\n"
                b << "contribute(${k.id}File & inClosure() & isThisType() & (${block.names.collect { "enclosingCallName('$it')" }.join(' | ')})"
                b << (block.inner ? " & ~(${block.inner.collect { "enclosingCallName('$it')" }.join(' | ')})" : '') << ") {\n"
                block.words.each { b << dsldMethods(it, block.label(), '    ') }
                b << "}\n"
            }
        }
        b.toString()
    }

    private static String dsldMethods(Word w, String where, String indent) {
        w.overloads.collect { Overload o ->
            "${indent}method name: '${w.name}', type: '${o.returns}', params: ${map(o.params)}, doc: '${w.name}: in $where'\n"
        }.join('')
    }

    /** A Groovy single-quoted string: backslashes and quotes escaped, nothing interpolated. */
    private static String literal(String s) {
        "'" + s.replace('\\', '\\\\').replace("'", "\\'") + "'"
    }

    /** Parameters as a Groovy map literal; LinkedHashMap keeps their order, and a repeated name gets its position. */
    private static String map(List<List<String>> params) {
        if (params.isEmpty()) {
            return '[:]'
        }
        Set<String> seen = []
        '[' + params.withIndex().collect { List<String> p, int i -> "${seen.add(p[0]) ? p[0] : p[0] + (i + 1)}: '${p[1]}'" }.join(', ') + ']'
    }

    /** Writes both files under a class-output directory (target/classes), so the jar carries them. */
    static void main(String[] args) {
        Path out = Path.of(args[0])
        Files.createDirectories(out.resolve('dsld'))
        Files.writeString(out.resolve('xmrun.gdsl'), gdsl())
        Files.writeString(out.resolve('dsld/xmrun.dsld'), dsld())
    }
}
