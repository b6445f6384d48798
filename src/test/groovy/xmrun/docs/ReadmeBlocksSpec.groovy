package xmrun.docs

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError
import xmrun.XmrunProcess
import xmrun.dsl.ConfigLoader
import xmrun.dsl.LauncherLoader
import xmrun.packs.MavenRepoFixture

import java.nio.file.Files
import java.nio.file.Path

import static xmrun.docs.ExampleBlock.Kind

/**
 * The README never shows a launcher, config, sweep or message that xmrun does not accept or print:
 * every ```groovy block is evaluated with the real loaders, in a directory holding the sweep files the
 * README shows, and the counts and arguments its comments state are checked against what it builds.
 */
class ReadmeBlocksSpec extends Specification {
    static final Path README = Path.of('README.md')

    /**
     * Stand-ins for the libraries the README's @Grab blocks name, published to a file repository:
     * coordinates -> the class, its Java source, and what its value makes the dry run print.
     */
    static final Map<String, Map<String, String>> GRAB_LIBRARIES = [
            'org.lab:sweeps:1.0': [className: 'lab.Sweeps',
                                   source   : 'package lab; public class Sweeps { public static double bestLr() { return 3e-4; } }',
                                   shows    : '--lr=3.0E-4'],
    ]

    /** For each message the README shows: a launcher (named as the message names it) that makes it. */
    static final Map<String, String> MISTAKES = [
            "unknown word 'comand' in job('train') { }; did you mean 'command'?": '''\
                // MNIST, first try
                experiment('mnist') {
                    job('prepare') {
                        command 'python3', 'prepare.py'
                    }
                    job('train') {
                        comand 'python3', 'train.py'
                    }
                }
                ''',
            "bad memory size '16Q': expected a number with K, M, G or T, like '16G'": '''\
                experiment('mnist') {
                    job('train') {
                        command 'python3', 'train.py'
                        args epochs: 10
                        sweep { lr 1e-3, 3e-4 }
                        resources {
                            cpus 4
                            gpus 1
                            memory '16Q'
                            time '2h'
                        }
                    }
                }
                ''',
            "job 'eval' runs after unknown job 'trian'; did you mean 'train'?": '''\
                experiment('mnist') {
                    job('train') {
                        command 'python3', 'train.py'
                        sweep {
                            lr   1e-3, 3e-4
                            seed 0..4
                        }
                    }
                    job('eval') {
                        command 'python3', 'eval.py'
                        args split: 'test'
                        after 'trian'
                    }
                }
                ''',
            'dependency cycle: a -> b -> a': '''\
                // two jobs waiting for each other: neither could ever start
                experiment('cycle') {
                    job('a') {
                        command 'python3', 'a.py'
                        after 'b'
                    }
                    job('b') {
                        command 'python3', 'b.py'
                        args steps: 100
                        env STAGE: 'b'
                        resources {
                            cpus 2
                        }
                        after 'a'
                    }
                }
                ''',
    ]

    @Shared
    List<ExampleBlock> examples = groovyBlocks()

    @TempDir
    Path dir

    static List<ExampleBlock> groovyBlocks() {
        FencedBlock.of(README).findAll { it.language == 'groovy' }.collect { new ExampleBlock(it) }
    }

    /** Lines of the README's plain blocks that are all FILE:LINE: message lines. */
    static List<String> shownMistakes() {
        FencedBlock.of(README).findAll { b -> b.language in ['', 'text'] && b.lines() && b.lines().every { it ==~ /^\S+\.xm\.groovy:\d+: .+/ } }
                .collectMany { it.lines() }
    }

    def setup() {
        examples.findAll { it.kind == Kind.SWEEP_FILE }.each { ExampleBlock s ->
            Path file = dir.resolve(s.sweepPath)
            Files.createDirectories(file.parent)
            Files.writeString(file, s.block.text)
        }
    }

    def 'the README has groovy blocks of every kind, error messages, and comments stating counts'() {
        expect:
        Kind.values().findAll { it != Kind.UNCLASSIFIED }.every { k -> examples.any { it.kind == k } }
        examples.any { it.grabs() }
        examples.sum { Claims.of(it.kind == Kind.SWEEP_FILE ? it.block.text : it.evaluated).count { c -> c.count != null } } >= 5
        shownMistakes().size() >= 4
    }

    def 'every block of the README holding DSL words is a groovy block, so none escapes evaluation'() {
        expect:
        FencedBlock.of(README).findAll { it.language != 'groovy' && it.text =~ /(?m)^\s*(experiment|job|cluster|sweep|repositories)\s*[({]/ }
                .collect { "README.md:${it.line}" } == []
    }

    def 'README.md:#example.block.line (#example.description) evaluates and builds what its comments say'() {
        when:
        List<String> problems = evaluate(example)

        then:
        assert problems.isEmpty(), "README.md:${example.block.line}: the ${example.description} is wrong:\n" +
                problems.collect { '  ' + it }.join('\n') + "\n  evaluated as:\n${example.numbered()}"

        where:
        example << examples
    }

    def 'the README message "#shown" is what xmrun reports for a launcher making that mistake'() {
        given:
        def m = shown =~ /^(\S+):(\d+): (.*)$/
        assert m.matches()
        String launcher = MISTAKES[m.group(3)]
        assert launcher != null, "no launcher in MISTAKES makes the README's message '${m.group(3)}'"
        Path file = dir.resolve(m.group(1))
        Files.writeString(file, launcher.stripIndent())

        when:
        LauncherLoader.load(file, m.group(1))

        then:
        UserError e = thrown()
        e.message == shown

        where:
        shown << shownMistakes()
    }

    def 'the unresolved @Grab message the README quotes is what xmrun says'() {
        given: 'the README @Grab block, named as the quote names it, and a lab repository without the library'
        def quote = Files.readString(README) =~ /`(\S+\.xm\.groovy):(\d+): (cannot @Grab [^`]*?)\.\.\.`/
        assert quote.find(), 'the README quotes no unresolved @Grab message'
        ExampleBlock grab = examples.find { it.grabs() }
        Files.writeString(dir.resolve(quote.group(1)), grab.evaluated)
        Files.createDirectories(dir.resolve('empty-repo'))
        Path config = dir.resolve('clusters.groovy')
        Files.writeString(config, "repositories { maven '${dir.resolve('empty-repo').toUri()}' }\n")

        when:
        def r = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])
                .run(['launch', '--dry-run', quote.group(1)], dir)

        then:
        r.exitCode == 2
        r.err.readLines().size() == 1
        r.err.startsWith("${quote.group(1)}:${quote.group(2)}: ${quote.group(3)}")
    }

    /** Everything wrong with one block, each naming its README line; empty when it is right. */
    List<String> evaluate(ExampleBlock example) {
        String name = "readme-${example.block.line}"
        switch (example.kind) {
            case Kind.UNCLASSIFIED:
                return ["not a launcher (experiment(...) { }), a cluster config (cluster('NAME') { or repositories { at the " +
                                "top level), a sweep file (first line // sweeps/NAME.sweep.groovy) or a fragment starting with " +
                                "a word of job { } or experiment { }, so nothing can evaluate it"]
            case Kind.CONFIG:
                Path config = dir.resolve("${name}.config.groovy")
                Files.writeString(config, example.evaluated)
                try {
                    ConfigLoader.load(config, config.fileName.toString())
                    return []
                } catch (UserError e) {
                    return [located(example, e.message, config.fileName.toString())]
                }
            default:
                Path launcher = dir.resolve("${name}.xm.groovy")
                Files.writeString(launcher, example.evaluated)
                return example.grabs() ? evaluateWithGrab(example, launcher) : evaluateLauncher(example, launcher)
        }
    }

    private List<String> evaluateLauncher(ExampleBlock example, Path launcher) {
        Claims.Built built
        try {
            built = Claims.Built.of(LauncherLoader.load(launcher, launcher.fileName.toString()))
        } catch (UserError e) {
            return [located(example, e.message, launcher.fileName.toString())]
        }
        claimProblems(example, built)
    }

    /** @Grab works while compiling, through Grape's one configuration per JVM: a launch of its own, as a user runs it. */
    private List<String> evaluateWithGrab(ExampleBlock example, Path launcher) {
        List<String> coordinates = (example.block.text =~ /@Grab\(\s*'([^']+)'\s*\)/).collect { it[1] }
        List<String> unknown = coordinates.findAll { !GRAB_LIBRARIES.containsKey(it) }
        if (!coordinates || unknown) {
            return ["@Grab of ${unknown ?: 'an unquoted coordinate'}: add a stand-in library to GRAB_LIBRARIES"]
        }
        MavenRepoFixture repo = new MavenRepoFixture(dir.resolve('repo'))
        coordinates.each { String c ->
            def (g, a, v) = c.split(':')
            Map<String, String> lib = GRAB_LIBRARIES[c]
            String classFile = lib.className.replace('.', '/') + '.class'
            repo.publish(g, a, v, [(classFile): MavenRepoFixture.compile(dir.resolve("javac-$a"), lib.className, lib.source)])
        }
        Path config = dir.resolve('clusters.groovy')
        Files.writeString(config, "repositories { maven '${repo.url()}' }\n")
        def r = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])
                .run(['launch', '--dry-run', launcher.fileName.toString()], dir)
        if (r.exitCode != 0) {
            return [located(example, r.err.trim(), launcher.fileName.toString()) + " (xmrun exit ${r.exitCode})"]
        }
        List<String> problems = coordinates.collect { GRAB_LIBRARIES[it].shows }.findAll { !r.out.contains(it) }
                .collect { "the grabbed library's value should show as $it, but the dry run printed:\n$r.out" }
        problems + claimProblems(example, Claims.Built.ofDryRun(r.out))
    }

    private static List<String> claimProblems(ExampleBlock example, Claims.Built built) {
        if (example.kind == Kind.SWEEP_FILE) {
            return Claims.check(Claims.of(example.block.text), built) { int n -> "README.md:${example.block.line + n - 1}" }
        }
        Claims.check(Claims.of(example.evaluated), built) { int n -> example.where(n) }
    }

    /** xmrun's FILE:LINE: message, with the line turned into the README's. */
    private String located(ExampleBlock example, String message, String evaluatedName) {
        def m = message =~ /^(\S+?):(\d+): (.*)$/
        if (!m.find()) {
            return message
        }
        String file = m.group(1)
        int line = m.group(2) as int
        if (file == evaluatedName) {
            return "${example.where(line)}: ${m.group(3)}    [xmrun: $message]"
        }
        ExampleBlock sweep = examples.find { it.kind == Kind.SWEEP_FILE && file.endsWith(it.sweepPath) }
        sweep != null ? "README.md:${sweep.block.line + line - 1}: ${m.group(3)}    [xmrun: $message]" : message
    }
}
