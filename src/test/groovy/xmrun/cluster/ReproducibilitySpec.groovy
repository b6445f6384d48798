package xmrun.cluster

import groovy.json.JsonSlurper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.app.BuildInfo
import xmrun.packs.MavenRepoFixture
import xmrun.stage.CodeTree

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.time.Instant

/**
 * What ran, exactly, and how to run it again, as a user asks it of separate xmrun processes: code snapshots on this
 * machine's schedulers, provenance from a dirty git work tree, the submitted files given back, relaunch and diff.
 */
class ReproducibilitySpec extends Specification {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')

    @Shared
    Properties env = new Properties()

    @TempDir
    Path dir

    def setupSpec() {
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
        CLUSTER.resolve('cluster.env').toFile().withReader { env.load(it) }
    }

    XmrunProcess xmrun(Map<String, String> extra = [:]) {
        new XmrunProcess(dir.resolve('home'), extra)
    }

    static Map json(XmrunProcess.Result r) {
        assert r.exitCode == 0: r
        new JsonSlurper().parseText(r.out) as Map
    }

    static Map waitForFinal(XmrunProcess x, String exp, int seconds = 120) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (true) {
            Map s = json(x.run('status', exp, '--json'))
            if (s.workUnits.every { it.state in ['SUCCEEDED', 'FAILED', 'CANCELLED'] }) {
                return s
            }
            assert System.currentTimeMillis() < deadline: "not final: ${s.workUnits*.state}"
            sleep(300)
        }
    }

    static String sha256(byte[] bytes) {
        MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
    }

    static String run(Path dir, String... argv) {
        def p = new ProcessBuilder(argv as List<String>).directory(dir.toFile()).redirectErrorStream(true).start()
        String out = p.inputStream.text
        assert p.waitFor() == 0: "${argv.join(' ')}: $out"
        out
    }

    def 'on #cluster, units still queued run the code as it was at launch: a file edited and another deleted right after change nothing'() {
        given:
        Path code = Files.createDirectories(dir.resolve('code'))
        code.resolve('msg.txt').toFile().text = 'as launched\n'
        code.resolve('read.sh').toFile().text = 'sleep 1; cat msg.txt\n'
        code.resolve('frozen.xm.groovy').toFile().text = """
            experiment('frozen') {
                cluster '$cluster'
                job('read') {
                    command 'bash', 'read.sh'
                    maxParallel 1
                    sweep { i 1..3 }
                }
            }"""
        def x = xmrun()

        when:
        def launch = x.run('launch', code.resolve('frozen.xm.groovy').toString())
        code.resolve('msg.txt').toFile().text = 'edited after the launch\n'
        Files.delete(code.resolve('read.sh'))
        Instant edited = Instant.now()
        Map status = waitForFinal(x, '1')

        then:
        launch.exitCode == 0
        status.workUnits*.state == ['SUCCEEDED'] * 3
        (1..3).every { x.run('logs', '1', "$it").out == 'as launched\n' }
        Instant.parse(status.workUnits[2].startedAt) > edited // it was queued when the files changed

        and: 'the units ran in the snapshot, which show names with the scheduler that ran them'
        Map shown = json(x.run('show', '1', '--json'))
        shown.code.ranIn == shown.code.snapshot
        shown.code.snapshot == dir.resolve("home/code/${shown.code.tree}").toString()
        shown.cluster.scheduler == cluster
        shown.cluster.schedulerVersion == version

        where:
        cluster | version
        'local' | "xmrun ${BuildInfo.current().version()}"
        'slurm' | 'sbatch --version'.execute().text.trim()
    }

    /** A git work tree with a committed launcher, sweep file, template and code, then changes not committed. */
    Path dirtyRepo(MavenRepoFixture repo) {
        Path top = Files.createDirectories(dir.resolve('repo'))
        Path src = Files.createDirectories(top.resolve('exp/src'))
        src.resolve('train.sh').toFile().text = 'cat msg.txt\n'
        src.resolve('msg.txt').toFile().text = 'committed\n'
        Files.createDirectories(top.resolve('exp/templates/local'))
        top.resolve('exp/templates/local/job.sh.peb').toFile().text =
                Files.readString(Path.of('templates/local/job.sh.peb')).replace('# Submitted', '# The lab\'s own local template.\n# Submitted')
        top.resolve('exp/lr.sweep.groovy').toFile().text = 'lr 0.1, 0.2\n'
        top.resolve('exp/prov.xm.groovy').toFile().text = """@Grab('org.lab:greeter:1.0')
import lab.Greeter

experiment('prov') {
    code 'src'
    templates 'org.lab:launch-templates:1.0'
    job('train') {
        command 'bash', 'train.sh', Greeter.greet('lab')
        sweep file('lr.sweep.groovy')
    }
    job('inside') {
        command 'true'
        container { image '${env.XM_IMAGE_1_SQSH}'; runtime 'charliecloud' }
    }
}
"""
        run(top, 'git', 'init', '-q', '-b', 'main')
        run(top, 'git', '-c', 'user.name=t', '-c', 'user.email=t@example.org', 'add', '-A')
        run(top, 'git', '-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'first')
        src.resolve('msg.txt').toFile().text = 'changed, not committed\n'
        src.resolve('notes/new file.txt').toFile().with { parentFile.mkdirs(); text = 'untracked ünï\n' }
        top
    }

    MavenRepoFixture labRepository() {
        def repo = new MavenRepoFixture(dir.resolve('m2'))
        repo.publish('org.lab', 'greeter', '1.0', ['lab/Greeter.class': MavenRepoFixture.compile(dir.resolve('javac'), 'lab.Greeter',
                'package lab; public class Greeter { public static String greet(String who) { return "hello " + who; } }')])
        repo.publish('org.lab', 'launch-templates', '1.0', ['templates/launch/direct.sh.peb': '# the lab pack\'s launch\n{% include "builtin/launch/direct.sh.peb" %}'])
        repo
    }

    def 'show --json has every provenance field of a launch from a dirty git work tree, and its patch on the commit gives the code launched'() {
        given:
        def repo = labRepository()
        Path top = dirtyRepo(repo)
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = "repositories { maven '${repo.url()}' }\n"
        def x = xmrun([XMRUN_CONFIG: config.toString()])
        String objectsBefore = run(top, 'git', 'count-objects', '-v')

        when:
        def launch = x.run('launch', top.resolve('exp/prov.xm.groovy').toString())
        Map s = json(x.run('show', '1', '--json'))

        then:
        launch.exitCode == 0
        s.id == 1 && s.name == 'prov'
        s.xmrun.version ==~ /\d+\.\d+\.\d+.*/
        s.xmrun.commit
        s.user == System.getProperty('user.name')
        s.host == Files.readString(Path.of('/proc/sys/kernel/hostname')).trim()
        s.cluster == [name: 'local', scheduler: 'local', schedulerVersion: "xmrun ${BuildInfo.current().version()}".toString(), sshHost: null]

        and: 'the launcher and the sweep file, text and sha256'
        s.launcher.path == top.resolve('exp/prov.xm.groovy').toString()
        s.launcher.text == top.resolve('exp/prov.xm.groovy').toFile().text
        s.launcher.sha256 == sha256(Files.readAllBytes(top.resolve('exp/prov.xm.groovy')))
        s.sweepFiles == [[path: top.resolve('exp/lr.sweep.groovy').toString(), sha256: sha256('lr 0.1, 0.2\n'.bytes), text: 'lr 0.1, 0.2\n']]

        and: 'the code: its digest is the scan of the directory, its snapshot holds it'
        CodeTree tree = CodeTree.scan(top.resolve('exp/src'), [])
        s.code.dir == top.resolve('exp/src').toString()
        s.code.tree == tree.hash()
        s.code.files == 3
        Files.readString(Path.of(s.code.snapshot, 'msg.txt')) == 'changed, not committed\n'

        and: 'git: commit, branch, dirty, and the patch with its sha256'
        s.git.commit == run(top, 'git', 'rev-parse', 'HEAD').trim()
        s.git.branch == 'main'
        s.git.dirty == true
        s.git.prefix == 'exp/src/'
        s.git.diffSha256 == sha256(s.git.diff.getBytes('UTF-8'))
        x.run('show', '1', '--git-diff').out == s.git.diff
        run(top, 'git', 'count-objects', '-v') == objectsBefore // nothing was written into the repository

        and: 'every template with where it came from and its sha256'
        Map<String, Map> templates = s.templates.collectEntries { [it.name, it] }
        templates.keySet() == ['local/job.sh.peb', 'common/work-unit.sh.peb', 'launch/direct.sh.peb', 'builtin/launch/direct.sh.peb',
                               'common/container.sh.peb', 'container/charliecloud.sh.peb'] as Set
        templates['local/job.sh.peb'].origin == "launcher (${top.resolve('exp/templates')})"
        templates['local/job.sh.peb'].sha256 == sha256(Files.readAllBytes(top.resolve('exp/templates/local/job.sh.peb')))
        templates['launch/direct.sh.peb'].origin == 'pack org.lab:launch-templates:1.0 (launch-templates-1.0.jar)'
        templates['common/work-unit.sh.peb'].origin == 'built-in'
        templates['common/work-unit.sh.peb'].sha256 == sha256(Files.readAllBytes(Path.of('templates/common/work-unit.sh.peb')))

        and: 'the pack and the @Grab, with their jars\' digests; the image, pinned'
        s.packs == [[coordinate: 'org.lab:launch-templates:1.0', jar: 'launch-templates-1.0.jar',
                     sha256: sha256(Files.readAllBytes(dir.resolve('m2/org/lab/launch-templates/1.0/launch-templates-1.0.jar')))]]
        s.grabs == [[coordinate: 'org.lab:greeter:1.0', jar: 'greeter-1.0.jar', sha256: sha256(Files.readAllBytes(dir.resolve('m2/org/lab/greeter/1.0/greeter-1.0.jar')))]]
        s.images*.job == ['inside']
        s.images[0].digest == 'sha256:' + env.XM_IMAGE_1_SQSH_SHA256
        s.files*.path.containsAll(['jobs/train.sh', 'jobs/train.units', 'jobs/train.index', 'jobs/inside.sh'])
        s.relaunchOf == null

        when: 'the patch is applied to a checkout of the commit'
        Path checkout = dir.resolve('checkout')
        run(dir, 'git', 'clone', '-q', top.toString(), checkout.toString())
        run(checkout, 'git', 'checkout', '-q', s.git.commit)
        checkout.resolve('launched.patch').toFile().text = s.git.diff
        run(checkout, 'git', 'apply', 'launched.patch')

        then: 'it is the code launched, file for file'
        CodeTree.scan(checkout.resolve('exp/src'), []).hash() == s.code.tree
    }

    def 'render EXP gives back the files the experiment submitted, byte for byte, after its launcher and template changed; relaunch runs its code'() {
        given:
        Path code = Files.createDirectories(dir.resolve('code'))
        code.resolve('msg.txt').toFile().text = 'first\n'
        Files.createDirectories(code.resolve('templates/local'))
        Path template = code.resolve('templates/local/job.sh.peb')
        template.toFile().text = Files.readString(Path.of('templates/local/job.sh.peb'))
        Path launcher = code.resolve('r.xm.groovy')
        launcher.toFile().text = "experiment('r') {\n    job('read') {\n        command 'bash', '-c', 'cat msg.txt', 'read'\n        sweep { n 1, 2 }\n    }\n}\n"
        def x = xmrun()
        assert x.run('launch', launcher.toString(), '--wait').exitCode == 0

        when: 'the launcher and the template change, and the code too'
        launcher.toFile().text = launcher.toFile().text.replace('n 1, 2', 'n 1, 2, 3')
        template.toFile().text = template.toFile().text.replace('#!/usr/bin/env bash', '#!/usr/bin/env bash\n# changed')
        code.resolve('msg.txt').toFile().text = 'second\n'
        def render = x.run('render', '1', '-o', dir.resolve('out').toString())
        def now = x.run('render', launcher.toString(), '-o', dir.resolve('now').toString())

        then: 'the files as submitted'
        render.exitCode == 0
        render.out == "wrote the 4 files experiment 1 submitted into ${dir.resolve('out')}\n"
        ['diff', '-r', dir.resolve('out/jobs').toString(), dir.resolve('home/experiments/1/jobs').toString()].execute().waitFor() == 0
        Files.exists(dir.resolve('out/sched/.keep'))
        Files.isExecutable(dir.resolve('out/jobs/read.sh'))

        and: 'which the launcher as it is now no longer renders'
        now.exitCode == 0
        Files.readString(dir.resolve('now/jobs/read.sh')) != Files.readString(dir.resolve('out/jobs/read.sh'))

        when:
        def relaunch = x.run('relaunch', '1')
        waitForFinal(x, '2')

        then: 'the stored launcher (two units), its template and its code'
        relaunch.exitCode == 0
        relaunch.out.startsWith('relaunch of experiment 1\nexperiment 2 \'r\': 2 work units on local\n')
        x.run('logs', '2', '1').out == 'first\n'
        x.run('logs', '2', '2').out == 'first\n'
        json(x.run('show', '2', '--json')).relaunchOf == 1
        x.run('diff', '1', '2').out == 'experiments 1 and 2 ran the same launcher, code, templates, images and sweep on the same cluster\n'
    }

    def 'diff of two experiments that differ in one file and one sweep value names exactly those'() {
        given:
        Path top = Files.createDirectories(dir.resolve('d'))
        Path src = Files.createDirectories(top.resolve('src'))
        src.resolve('a.py').toFile().text = 'print(1)\n'
        src.resolve('b.py').toFile().text = 'print(2)\n'
        Path launcher = top.resolve('d.xm.groovy')
        launcher.toFile().text = "experiment('d') {\n  code 'src'\n  job('t') {\n    command 'true'\n    sweep { lr 0.1, 0.2; seed 1 }\n  }\n}\n"
        def x = xmrun()
        assert x.run('launch', launcher.toString()).exitCode == 0
        src.resolve('b.py').toFile().text = 'print(3)\n'
        launcher.toFile().text = launcher.toFile().text.replace('0.2', '0.3')
        assert x.run('launch', launcher.toString()).exitCode == 0

        when:
        def diff = x.run('diff', '1', '2')
        List<String> lines = diff.out.readLines()

        then:
        diff.exitCode == 0
        lines.findAll { it =~ /^\s+(changed|added|removed) / } == ['  changed  b.py']
        lines.findAll { it.startsWith('-    ') || it.startsWith('+    ') } == ['-    sweep { lr 0.1, 0.2; seed 1 }', '+    sweep { lr 0.1, 0.3; seed 1 }']
        lines.findAll { it.startsWith('  - ') || it.startsWith('  + ') } == ['  - lr=0.2 seed=1', '  + lr=0.3 seed=1']
        lines.findAll { it =~ /^(xmrun|cluster|arguments|git|template|image|launcher):/ } == []
        lines[0] == 'launcher text:'
        lines.any { it.startsWith('code:      1 changed, 0 added, 0 removed') }
        lines.any { it == 'sweep of job t: 1 point only in experiment 1, 1 only in experiment 2' }
    }
}
