package xmrun.dsl

import groovy.json.JsonSlurper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.Main
import xmrun.XmrunProcess

import java.nio.file.Files
import java.nio.file.Path
import java.util.stream.Collectors

/**
 * Every bad launcher, sweep file and cluster config in src/test/resources/bad goes through the real
 * CLI and must come back as one line {@code FILE:LINE: message}, exit code 2, nothing on stdout and
 * nothing in the experiment store.
 *
 * A case is one of:
 * <ul>
 * <li>{@code NAME.xm.groovy}: a launcher;</li>
 * <li>{@code NAME.clusters.groovy}: a cluster config (XMRUN_CONFIG), launched with a small valid
 *     launcher that runs on cluster 'lab';</li>
 * <li>{@code NAME/}: a directory with {@code launcher.xm.groovy}, the files it names, and maybe a
 *     {@code clusters.groovy} (then XMRUN_CONFIG).</li>
 * </ul>
 * The file the error points into starts with {@code // expect: LINE: message}; a case whose faulty
 * file cannot hold a comment (an empty one) has an {@code expect.txt} holding {@code FILE:LINE: message}.
 * Files are named relative to the case, as a user in its directory would see them.
 *
 * Most cases run in this JVM ({@link Main#run}), each with a fresh XMRUN_HOME; those in
 * {@link #IN_A_PROCESS} run as a separate xmrun process, as a user runs it.
 */
class BadInputCorpusSpec extends Specification {
    static final Path CORPUS = Path.of(BadInputCorpusSpec.getResource('/bad').toURI())
    static final Set<String> IN_A_PROCESS = ['syntax-missing-brace.xm.groovy', 'launcher-throws.xm.groovy', 'sweep-file-error',
                                             'config-unknown-scheduler.clusters.groovy'] as Set
    static final String CONFIG_LAUNCHER = """\
        experiment('on-lab') {
            cluster 'lab'
            job('train') { command 'true' }
        }
        """.stripIndent()

    @Shared
    List<String> cases = Files.list(CORPUS).withCloseable { s -> s.map { it.fileName.toString() }.sorted().collect(Collectors.toList()) }

    @TempDir
    Path tmp

    def 'bad input #name: one FILE:LINE line, exit 2, nothing recorded'() {
        given:
        Path dir = copy(name)
        String expected = expectation(dir)
        Map<String, String> env = [XMRUN_HOME: tmp.resolve('home').toString(), XDG_CONFIG_HOME: tmp.resolve('config').toString(),
                                   XMRUN_CONFIG: config(dir) ?: '']

        when:
        Map r = name in IN_A_PROCESS ? inAProcess(dir, env) : inThisJvm(dir, env)

        then:
        r.exitCode == 2
        r.out == ''
        r.err.readLines() == [expected]
        r.err.endsWith('\n')
        !(r.err =~ /Exception|at xmrun\.|groovy\.lang/)

        and: 'the store knows nothing of it'
        new JsonSlurper().parseText(r.listed as String) == []
        experimentDirs() == []

        where:
        name << cases
    }

    def 'the corpus holds more than 30 cases, the ones run as a process among them'() {
        expect:
        cases.size() > 30
        cases.containsAll(IN_A_PROCESS)
    }

    private Path copy(String name) {
        Path source = CORPUS.resolve(name)
        Path dir = tmp.resolve('case')
        if (Files.isDirectory(source)) {
            source.toFile().eachFileRecurse { File f ->
                if (f.isFile()) {
                    Path target = dir.resolve(source.relativize(f.toPath()).toString())
                    Files.createDirectories(target.parent)
                    Files.copy(f.toPath(), target)
                }
            }
        } else {
            Files.createDirectories(dir)
            Files.copy(source, dir.resolve(name))
            if (name.endsWith('.clusters.groovy')) {
                dir.resolve('launcher.xm.groovy').toFile().text = CONFIG_LAUNCHER
            }
        }
        dir
    }

    /** {@code FILE:LINE: message}, FILE relative to the case directory. */
    private static String expectation(Path dir) {
        if (Files.exists(dir.resolve('expect.txt'))) {
            return dir.resolve('expect.txt').toFile().text.trim()
        }
        List<String> found = []
        dir.toFile().eachFileRecurse { File f ->
            def m = f.isFile() ? f.readLines().find() =~ /^\/\/ expect: (\d+): (.+)$/ : null
            if (m) {
                found << "${dir.relativize(f.toPath())}:${m.group(1)}: ${m.group(2)}".toString()
            }
        }
        assert found.size() == 1: "a case expects exactly one error, in the first line of one of its files: $found"
        found[0]
    }

    /** The cluster config of the case, relative to its directory, or null. */
    private static String config(Path dir) {
        Path f = Files.list(dir).withCloseable { s -> s.filter { it.fileName.toString().endsWith('clusters.groovy') }.findFirst().orElse(null) }
        f == null ? null : f.fileName.toString()
    }

    private static String launcher(Path dir) {
        Files.list(dir).withCloseable { s -> s.filter { it.fileName.toString().endsWith('.xm.groovy') }.findFirst().orElseThrow() }
                .fileName.toString()
    }

    /** Paths are given relative to the case directory, which is the process's working directory. */
    private static Map inAProcess(Path dir, Map<String, String> env) {
        XmrunProcess.Result r = new XmrunProcess(Path.of(env.XMRUN_HOME), env).run(['launch', launcher(dir)], dir)
        [exitCode: r.exitCode, out: r.out, err: r.err, listed: main(['list', '--json'], absolute(dir, env))[1]]
    }

    /** This JVM's working directory is not the case's: paths are absolute, and shown relative to the case afterwards. */
    private static Map inThisJvm(Path dir, Map<String, String> env) {
        def (int code, String out, String err) = main(['launch', dir.resolve(launcher(dir)).toString()], absolute(dir, env))
        [exitCode: code, out: out, err: err.replace(dir.toString() + '/', ''), listed: main(['list', '--json'], absolute(dir, env))[1]]
    }

    private static Map<String, String> absolute(Path dir, Map<String, String> env) {
        env + (env.XMRUN_CONFIG ? [XMRUN_CONFIG: dir.resolve(env.XMRUN_CONFIG).toString()] : [:])
    }

    private static List main(List<String> args, Map<String, String> env) {
        StringWriter out = new StringWriter()
        StringWriter err = new StringWriter()
        int code = Main.run(args as String[], new PrintWriter(out, true), new PrintWriter(err, true), env)
        [code, out.toString(), err.toString()]
    }

    private List<String> experimentDirs() {
        Path experiments = tmp.resolve('home/experiments')
        !Files.isDirectory(experiments) ? [] : Files.list(experiments).withCloseable { s -> s.map { it.fileName.toString() }.collect(Collectors.toList()) }
    }
}
