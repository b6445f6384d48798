package xmrun.cluster

import groovy.json.JsonSlurper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest

/**
 * {@code secret 'NAME'}: a value from xmrun's environment reaches the program on every scheduler, and over SSH, and is
 * written nowhere xmrun writes: the store, scripts, data files, logs, its output, the work dirs on both sides.
 */
class SecretsSpec extends Specification {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')

    @Shared
    Properties env = new Properties()

    @TempDir
    Path dir

    /** A fresh value each run: a search that finds it found this run's leak. */
    String secret = 'sk-' + UUID.randomUUID().toString() + "-it's \$HOME `x`"
    String remoteDir = "xmrun-spec-${UUID.randomUUID().toString().take(8)}"

    def setupSpec() {
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
        LiveCluster.require('Grid Engine', ['qstat', '-f'])
        LiveCluster.require('sshd', ['test', '-s', CLUSTER.resolve('ssh/sshd.pid').toString()])
        CLUSTER.resolve('cluster.env').toFile().withReader { env.load(it) }
    }

    def cleanup() {
        new ProcessBuilder('rm', '-rf', "/home/${env.XM_SSH_USER}/$remoteDir".toString()).start().waitFor()
    }

    XmrunProcess xmrun(Map<String, String> extra) {
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('remote') {
                scheduler 'slurm'
                ssh { host '127.0.0.1'; port ${env.XM_SSH_PORT}; user '${env.XM_SSH_USER}'; identity '${env.XM_SSH_KEY}'; knownHosts '${env.XM_SSH_KNOWN_HOSTS}' }
                workdir '~/$remoteDir'
            }"""
        new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()] + extra)
    }

    static String sha256(String s) {
        MessageDigest.getInstance('SHA-256').digest(s.getBytes('UTF-8')).encodeHex().toString()
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

    /** Where grep -r finds the text, as "FILE:..." lines; empty when nowhere. */
    static List<String> found(String text, List<Path> places) {
        List<String> argv = ['grep', '-r', '-l', '-F', '--binary-files=text', '--', text] + places.findAll { Files.exists(it) }*.toString()
        def p = new ProcessBuilder(argv).redirectErrorStream(true).start()
        List<String> out = p.inputStream.text.readLines()
        int rc = p.waitFor()
        assert rc in [0, 1]: "grep failed: $out"
        out
    }

    Path launcher(String cluster, String extra = '') {
        Path code = Files.createDirectories(dir.resolve('code'))
        // the program shows a hash of what it got: the value itself must not reach a log either
        code.resolve('show.sh').toFile().text = 'printf %s "$SPEC_TOKEN" | sha256sum | cut -c1-64\n'
        Path f = code.resolve('s.xm.groovy')
        f.toFile().text = """
            experiment('secrets') {
                cluster '$cluster'
                secret 'SPEC_TOKEN'
                job('show') {
                    command 'bash', 'show.sh'
                    sweep { i 1, 2 }
                    $extra
                }
            }"""
        f
    }

    def 'on #cluster a secret reaches the program, and is in no file xmrun wrote, on either side, nor in its output'() {
        given:
        def x = xmrun([SPEC_TOKEN: secret])
        Path file = launcher(cluster)

        when:
        def launch = x.run('launch', file.toString())
        Map status = waitForFinal(x, '1')
        List<XmrunProcess.Result> outputs = [launch, x.run('status', '1'), x.run('status', '1', '--json'), x.run('logs', '1', '1'),
                                             x.run('logs', '1', '2', '--scheduler'), x.run('show', '1', '--json'), x.run('list', '--json'),
                                             x.run('render', '1', '-o', dir.resolve('out').toString())]

        then:
        launch.exitCode == 0
        status.workUnits*.state == ['SUCCEEDED'] * 2
        x.run('logs', '1', '1').out == sha256(secret) + '\n'
        x.run('logs', '1', '2').out == sha256(secret) + '\n'

        and: 'the script names it and holds no value'
        Files.readString(dir.resolve('out/jobs/show.sh')).contains('[[ -v SPEC_TOKEN ]]')

        and:
        found(secret, [dir.resolve('home'), dir.resolve('out'), dir.resolve('code'), Path.of("/home/${env.XM_SSH_USER}")]) == []
        outputs.every { !it.out.contains(secret) && !it.err.contains(secret) }

        where:
        cluster << ['local', 'slurm', 'sge', 'remote']
    }

    def 'a secret missing from the environment stops the launch at the line naming it, exit 2, nothing recorded'() {
        given:
        def x = xmrun([:])
        Path file = launcher('local')

        when:
        def r = x.run('launch', file.toString())

        then:
        r.exitCode == 2
        r.err == "$file:4: secret 'SPEC_TOKEN' is not set\n"
        x.run('list', '--json').out.trim() == '[]'
    }

    def 'an env value named like a credential warns on one line, pointing at secret'() {
        given:
        Path code = Files.createDirectories(dir.resolve('code'))
        Path file = code.resolve('w.xm.groovy')
        file.toFile().text = "experiment('w') {\n  job('a') {\n    command 'true'\n    env HF_TOKEN: 'hf_abc', WANDB_PROJECT: 'p'\n  }\n}\n"

        when:
        def r = xmrun([:]).run('launch', '--dry-run', file.toString())

        then:
        r.exitCode == 0
        r.err == "$file:2: warning: env 'HF_TOKEN' of job 'a' looks like a credential, and env values are written to the job script and" +
                " the experiment store; use secret 'HF_TOKEN' to pass it from xmrun's environment without writing it anywhere\n"
    }

    def 'a retry takes the secret from the xmrun that submits it; one without it leaves the unit waiting and says why'() {
        given: 'the first attempt fails'
        Path file = launcher('local', 'retry 1')
        file.parent.resolve('show.sh').toFile().text = '[ "$XM_ATTEMPT" = 1 ] && exit 3\nprintf %s "$SPEC_TOKEN" | sha256sum | cut -c1-64\n'
        def with = xmrun([SPEC_TOKEN: secret])
        def without = xmrun([:])
        assert with.run('launch', file.toString()).exitCode == 0

        when: 'an xmrun without the value sees the failures'
        Map waiting = waitForFinal(without, '1')

        then:
        waiting.workUnits*.state == ['FAILED'] * 2
        waiting.workUnits.every { it.reason.endsWith("retry waits: secret SPEC_TOKEN is not set in this xmrun's environment") }
        without.run('status', '1').out.contains('retry waits: secret SPE')

        when: 'one with it looks'
        with.run('status', '1')
        Map done = waitForFinal(with, '1')

        then:
        done.workUnits*.state == ['SUCCEEDED'] * 2
        done.workUnits*.attempt == [2, 2]
        with.run('logs', '1', '1').out == sha256(secret) + '\n'
        found(secret, [dir.resolve('home'), dir.resolve('code')]) == []
    }
}
