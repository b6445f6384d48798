package xmrun.dist

import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * The release as a user gets it: target/xmrun-VERSION.tar.gz, made by {@code mvn package} and read here in
 * the integration-test phase (failsafe), unpacked into a directory of its own and run from PATH with only
 * the JDK, no Maven and no source tree. Also run by a user who cannot write the install.
 */
class DistributionIT extends Specification {
    static final Path BASE = Path.of('').toAbsolutePath()
    static final Path TARGET = BASE.resolve('target')
    static final String USER = 'xmtest'

    @Shared
    String version
    @Shared
    Path root, install

    def setupSpec() {
        xmrun.cluster.LiveCluster.require("the test cluster's user $USER", ['id', USER])
        Properties p = new Properties()
        TARGET.resolve('classes/xmrun/version.properties').toFile().withReader { p.load(it) }
        version = p.version
        Path tarball = TARGET.resolve("xmrun-${version}.tar.gz")
        assert Files.isRegularFile(tarball): "no $tarball: mvn package makes it"
        // readable by everyone (a temp dir is the owner's only): the install is used by another user below
        root = Files.createTempDirectory('xmrun-dist')
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString('rwxr-xr-x'))
        run(['tar', '-xzf', tarball.toString(), '-C', root.toString()])
        install = root.resolve("xmrun-$version")
        assert Files.isDirectory(install)
    }

    def cleanupSpec() {
        run(['rm', '-rf', root.toString()])
    }

    def 'the tarball holds bin/, every runtime jar in lib/, the templates, the examples, the README and man pages'() {
        given:
        Set<String> runtimeJars = Files.list(TARGET.resolve('lib')).withCloseable { s -> s.map { it.fileName.toString() }.toList() } as Set

        expect:
        Files.isExecutable(install.resolve('bin/xmrun'))
        Files.isExecutable(install.resolve('bin/xmrun-cds'))
        names(install.resolve('lib')) == runtimeJars + ['xmrun.jar', 'xmrun-client.jar'] // the client: see README, The xmrun server
        names(install.resolve('templates/slurm')) == names(BASE.resolve('templates/slurm'))
        Files.readString(install.resolve('templates/common/work-unit.sh.peb')) == Files.readString(BASE.resolve('templates/common/work-unit.sh.peb'))
        Files.isRegularFile(install.resolve('dsl-examples/hello.xm.groovy'))
        Files.readString(install.resolve('README.md')) == Files.readString(BASE.resolve('README.md'))

        and: 'a man page per command, which man renders'
        ['xmrun.1', 'xmrun-launch.1', 'xmrun-init.1', 'xmrun-completion.1', 'xmrun-clusters-check.1'].every {
            Files.isRegularFile(install.resolve("share/man/man1/$it"))
        }
        String page = run(['man', '-l', '-P', 'cat', install.resolve('share/man/man1/xmrun-launch.1').toString()], [MANWIDTH: '100'])
        page.contains('NAME') && page.contains('xmrun-launch') && page.contains('--dry-run')

        and: 'the jar carries the templates and the IDE descriptions of the DSL'
        String jar = run(['unzip', '-l', install.resolve('lib/xmrun.jar').toString()])
        ['templates/slurm/job.sh.peb', 'xmrun.gdsl', 'dsld/xmrun.dsld'].every { jar.contains(it) }
    }

    def 'xmrun --version names the version and the commit it was built from'() {
        given:
        String commit = gitCheckout() ? "commit ${run(['git', 'rev-parse', '--short=7', 'HEAD'], [:], BASE).trim()}" : 'unknown commit'

        when:
        String out = xmrun(['--version'], [:])

        then:
        out.readLines()[0].startsWith("xmrun $version ($commit")
        out.readLines()[1].startsWith('Java ')
    }

    def 'found on PATH through a link, it launches dsl-examples/hello.xm.groovy and waits for it'() {
        given:
        Path bin = Files.createDirectories(root.resolve('user-bin'))
        Files.createSymbolicLink(bin.resolve('xmrun'), install.resolve('bin/xmrun'))
        Path home = root.resolve('state')

        List<String> onPath = ['env', "PATH=$bin:${System.getenv('PATH')}".toString(), "XMRUN_HOME=$home".toString(), 'XMRUN_NO_CDS=1', 'xmrun']

        when: 'env finds xmrun on the new PATH, as a shell would'
        String out = run(onPath + [install.resolve('dsl-examples/hello.xm.groovy').toString(), '--wait'], [:], root)

        then:
        out.contains("experiment 1 'hello': 1 work unit on local")
        out =~ /greet\s+SUCCEEDED\s+0/
        run(onPath + ['logs', '1', '1']).contains('hello from xmrun')
    }

    def 'a user who cannot write the install gets the class-data archive in their own cache, and later starts map it'() {
        given: "the install belongs to root; $USER runs it"
        Path mine = Files.createDirectories(root.resolve('user'))
        run(['chown', USER, mine.toString()])
        Map<String, String> env = [HOME: mine.toString(), XDG_CACHE_HOME: mine.resolve('cache').toString(), XMRUN_HOME: mine.resolve('xm').toString()]

        when: 'the first run starts making the archive in the background'
        String first = asUser(['--version'], env)
        Path archive = waitForArchive(mine.resolve('cache/xmrun'))

        and: 'a later run in a JVM of its own (not served by the xmrun server the first one started), class loading logged'
        String log = mine.resolve('classes.log').toString()
        String out = asUser([install.resolve('dsl-examples/hello.xm.groovy').toString(), '--wait'],
                env + [XMRUN_JAVA_OPTS: "-Xlog:class+load=info:file=$log".toString(), XMRUN_NO_SERVER: '1'])

        then:
        first.startsWith("xmrun $version")
        archive.fileName.toString() ==~ /cds-\d+\.jsa/
        !Files.exists(install.resolve('lib/xmrun.jsa'))
        out =~ /greet\s+SUCCEEDED\s+0/
        Files.readAllLines(Path.of(log)).count { it.contains('source: shared objects file') } > 1000
    }

    // ---- helpers

    static Set<String> names(Path dir) {
        Files.list(dir).withCloseable { s -> s.map { it.fileName.toString() }.toList() } as Set
    }

    boolean gitCheckout() {
        Process p = new ProcessBuilder('git', 'rev-parse', '--show-toplevel').directory(BASE.toFile()).redirectErrorStream(true).start()
        String top = p.inputStream.text.trim()
        p.waitFor() == 0 && Path.of(top).toRealPath() == BASE.toRealPath()
    }

    String xmrun(List<String> args, Map<String, String> env) {
        run([install.resolve('bin/xmrun').toString()] + args, env + [XMRUN_NO_CDS: '1'], root)
    }

    String asUser(List<String> args, Map<String, String> env) {
        run(['runuser', '-u', USER, '--', 'env'] + env.collect { k, v -> "$k=$v".toString() } + [install.resolve('bin/xmrun').toString()] + args,
                [:], root)
    }

    static Path waitForArchive(Path dir) {
        long deadline = System.currentTimeMillis() + 180_000
        while (true) {
            List<Path> found = Files.isDirectory(dir) ? Files.list(dir).withCloseable { s -> s.filter { it.toString().endsWith('.jsa') && !it.toString().endsWith('-client.jsa') }.toList() } : []
            if (found) {
                return found[0]
            }
            assert System.currentTimeMillis() < deadline: "no class-data archive in $dir after 180 s"
            sleep(500)
        }
    }

    static String run(List<String> argv, Map<String, String> env = [:], Path dir = null) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        pb.environment().putAll(env)
        if (dir != null) {
            pb.directory(dir.toFile())
        }
        Process p = pb.start()
        String out = p.inputStream.getText('UTF-8')
        assert p.waitFor() == 0: "$argv failed:\n$out"
        out
    }
}
