package xmrun.cluster

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.Hostile
import xmrun.XmrunProcess

import java.nio.file.Files
import java.nio.file.Path

/**
 * Launches over SSH to the test cluster's sshd (127.0.0.1:2222, key only, user xmtest), in front of
 * its live Slurm, as a user would: separate xmrun processes reading a cluster config file.
 */
class SshIntegrationSpec extends Specification {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')
    static final Path SSHD_LOG = CLUSTER.resolve('ssh/sshd.log')
    static final Path JUMP_LOG = CLUSTER.resolve('ssh/sshd-jump.log')
    static final List<String> HOSTILE = Hostile.STRINGS

    @TempDir
    Path dir

    String workdir = "~/xmrun-spec-${UUID.randomUUID().toString().take(8)}"
    Properties env = new Properties()

    def setupSpec() {
        LiveCluster.require('sshd', ['test', '-s', CLUSTER.resolve('ssh/sshd.pid').toString()])
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
    }

    def setup() {
        CLUSTER.resolve('cluster.env').toFile().withReader { env.load(it) }
    }

    XmrunProcess xmrun(String knownHosts = env.XM_SSH_KNOWN_HOSTS, String extra = '') {
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('remote') {
                scheduler 'slurm'
                ssh {
                    host '127.0.0.1'
                    port ${env.XM_SSH_PORT}
                    user '${env.XM_SSH_USER}'
                    identity '${env.XM_SSH_KEY}'
                    knownHosts '$knownHosts'
                    $extra
                }
                workdir '$workdir'
            }"""
        new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])
    }

    Path launcher(String text) {
        Path code = dir.resolve('code')
        Files.createDirectories(code)
        code.resolve('echo-args.sh').toFile().text = 'printf "%s\\0" "$@"\n'
        Path f = code.resolve('launch.xm.groovy')
        f.toFile().text = text
        f
    }

    static int accepted(Path log) {
        Files.exists(log) ? Files.readAllLines(log).count { it.contains('Accepted publickey for') } as int : 0
    }

    Map waitForFinal(XmrunProcess x, String exp, int seconds = 90) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (true) {
            def r = x.run('status', exp, '--json')
            assert r.exitCode == 0: r
            Map s = new JsonSlurper().parseText(r.out) as Map
            if (s.workUnits.every { it.state in ['SUCCEEDED', 'FAILED', 'CANCELLED'] }) {
                return s
            }
            assert System.currentTimeMillis() < deadline: "not final: ${s.workUnits*.state}"
            sleep(500)
        }
    }

    def 'a hostile sweep launched over one SSH connection runs, and status and logs work over SSH'() {
        given:
        String values = Hostile.asGroovyValues(HOSTILE)
        Path file = launcher("""
            experiment('over-ssh') {
                cluster 'remote'
                job('echo') {
                    command 'bash', 'echo-args.sh'
                    sweep { arg $values }
                }
            }""")
        def x = xmrun()
        int before = accepted(SSHD_LOG)

        when:
        def launch = x.run('launch', file.toString())

        then: 'exactly one SSH connection for the whole launch'
        launch.exitCode == 0
        launch.out.contains('12 work units on remote')
        accepted(SSHD_LOG) - before == 1

        and:
        waitForFinal(x, '1').workUnits*.state == ['SUCCEEDED'] * 12
        HOSTILE.eachWithIndex { String value, int i ->
            def logs = x.run('logs', '1', "${i + 1}")
            assert logs.exitCode == 0
            assert logs.out.split('\0', -1).toList() == ["--arg=$value".toString(), '']
        }
    }

    def 'a second launch of unchanged code uploads nothing, and a changed file uploads only itself'() {
        given:
        Path file = launcher("""
            experiment('staged') {
                cluster 'remote'
                job('one') { command 'bash', 'echo-args.sh', 'hi' }
            }""")
        Files.createDirectories(dir.resolve('code/pkg'))
        dir.resolve('code/pkg/model.py').toFile().text = 'print(1)\n'
        Files.createDirectories(dir.resolve('code/.git'))
        dir.resolve('code/.git/HEAD').toFile().text = 'ignored\n'
        byte[] weights = new byte[3 * 1024 * 1024 + 7] // larger than one SFTP request
        new Random(1).nextBytes(weights)
        Files.write(dir.resolve('code/weights.bin'), weights)
        def x = xmrun()

        when:
        def first = x.run('launch', file.toString())
        def second = x.run('launch', file.toString())
        dir.resolve('code/pkg/model.py').toFile().text = 'print(2)\n'
        def third = x.run('launch', file.toString())

        then:
        first.out =~ /code: 4 files uploaded \(3\.0 MiB\), 0 unchanged/
        second.out.contains('code: 0 files uploaded (0 B), 4 unchanged')
        third.out.contains('code: 1 file uploaded (9 B), 3 unchanged')

        and: 'the staged copy is byte for byte the local file'
        def codeDir = (first.out =~ /-> (\S+)/)[0][1]
        ['sha256sum', "$codeDir/weights.bin".toString()].execute().text.split(' ')[0] ==
                java.security.MessageDigest.getInstance('SHA-256').digest(weights).encodeHex().toString()
    }

    def 'cancel stops a running array over SSH'() {
        given:
        Path file = launcher("""
            experiment('sleepy') {
                cluster 'remote'
                job('nap') { command 'bash', '-c', 'sleep 300', 'nap'; sweep { i 1..2 } }
            }""")
        def x = xmrun()
        x.run('launch', file.toString())
        long deadline = System.currentTimeMillis() + 60_000
        while (!x.run('status', '1', '--json').out.contains('"RUNNING"')) {
            assert System.currentTimeMillis() < deadline
            sleep(300)
        }

        when:
        def cancel = x.run('cancel', '1')

        then:
        cancel.exitCode == 0
        waitForFinal(x, '1').workUnits*.state == ['CANCELLED', 'CANCELLED']
    }

    def 'a launch through a jump host works'() {
        given:
        Path file = launcher("""
            experiment('jumped') {
                cluster 'remote'
                job('one') { command 'bash', 'echo-args.sh', 'via jump' }
            }""")
        def x = xmrun(env.XM_SSH_KNOWN_HOSTS as String, "jump '${env.XM_SSH_USER}@127.0.0.1:${env.XM_SSH_JUMP_PORT}'")
        int jumpsBefore = accepted(JUMP_LOG)

        when:
        def launch = x.run('launch', file.toString(), '--wait')

        then:
        launch.exitCode == 0
        accepted(JUMP_LOG) - jumpsBefore == 1
        x.run('logs', '1', '1').out == 'via jump\0'
    }

    def 'a host key that is not the one in known_hosts is refused with what to do: #what'() {
        given:
        Path knownHosts = dir.resolve('known_hosts')
        knownHosts.toFile().text = content
        Path file = launcher("experiment('x') { cluster 'remote'; job('a') { command 'true' } }")

        when:
        def r = xmrun(knownHosts.toString()).run('launch', file.toString())

        then:
        r.exitCode == 1
        r.err.contains(message)
        new JsonSlurper().parseText(xmrun(knownHosts.toString()).run('list', '--json').out) == []

        where:
        what      | content                                                                                 || message
        'changed' | Files.readString(CLUSTER.resolve('ssh/known_hosts')).readLines()[1].replace(':2223', ':2222') + '\n' || 'has CHANGED'
        'unknown' | ''                                                                                      || 'is not in'
    }

    def 'a cluster named by its ~/.ssh/config alias goes through the ProxyJump the alias names'() {
        given:
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('alias') {
                scheduler 'slurm'
                ssh { host 'xm-via-bastion'; sshConfig '${env.XM_SSH_CONFIG}' }
                workdir '$workdir'
            }"""
        def x = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])
        int jumpsBefore = accepted(JUMP_LOG)

        when:
        def check = x.run('clusters', 'check', 'alias')

        then:
        check.exitCode == 0
        check.out.readLines().size() == 4
        check.out.readLines().every { it.startsWith('ok') }
        check.out.contains('slurm answers')
        accepted(JUMP_LOG) - jumpsBefore == 1
    }

    def 'killing the SSH connection mid-launch leaves a store that says what was submitted, and resume submits only the rest'() {
        given: '200 held work units going out as 40 arrays of 5'
        Path file = launcher("""
            experiment('interrupted') {
                cluster 'remote'
                job('many') {
                    command 'true'
                    maxArraySize 5
                    option 'begin', 'now+1hour'
                    sweep { i 1..200 }
                }
            }""")
        def x = xmrun()
        Path out = Files.createDirectories(dir.resolve('launch-output'))

        when: 'the connection is killed once some arrays are in'
        Process launch = x.start(['launch', file.toString()], out)
        long deadline = System.currentTimeMillis() + 60_000
        while (submittedInStore() < 10) {
            assert System.currentTimeMillis() < deadline && launch.alive: Files.readString(out.resolve('stderr'))
            sleep(20)
        }
        new ProcessBuilder('pkill', '-f', 'sshd: xmtest').start().waitFor()
        launch.waitFor()
        String err = Files.readString(out.resolve('stderr'))
        Map<Integer, String> stored = storeIds()

        then: 'xmrun says what happened; every id in the store is an array the scheduler has'
        launch.exitValue() == 1
        err =~ /Experiment 1 has ${stored.size()} of 200 work units submitted; submit the rest with: xmrun resume 1/
        stored.size() >= 10 && stored.size() < 200
        stored.size() % 5 == 0
        arraysInSlurm().keySet().containsAll(stored.values()*.split('_')*.getAt(0).toSet())
        // the sbatch calls under way when it dropped (a job's arrays go out several at once)
        arraysInSlurm().size() - stored.values()*.split('_')*.getAt(0).toSet().size() <= xmrun.executor.Submitter.SUBMITS_AT_ONCE

        when:
        def resume = x.run('resume', '1')
        Map<String, String> arrays = arraysInSlurm()

        then: 'all 40 arrays exist once each, and the store knows every one of the 200 units'
        resume.exitCode == 0
        arrays.size() == 40
        arrays.values().toSet().size() == 40
        storeIds().size() == 200
        storeIds().values()*.split('_')*.getAt(0).toSet() == arrays.keySet()

        cleanup:
        if (arraysInSlurm()) {
            (['scancel'] + arraysInSlurm().keySet()).execute().waitFor()
        }
    }

    def 'an encrypted key asks for its passphrase on the terminal'() {
        given: 'a key with a passphrase that the test user accepts'
        Path key = dir.resolve('locked_ed25519')
        assert ['ssh-keygen', '-q', '-t', 'ed25519', '-N', 'open sesame', '-C', 'xmrun-spec', '-f', key.toString()].execute().waitFor() == 0
        Path authorized = Path.of('/home', env.XM_SSH_USER as String, '.ssh/authorized_keys')
        String before = Files.readString(authorized)
        Files.writeString(authorized, before + Files.readString(Path.of(key.toString() + '.pub')))
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('locked') {
                scheduler 'slurm'
                ssh { host '127.0.0.1'; port ${env.XM_SSH_PORT}; user '${env.XM_SSH_USER}'; identity '$key'; knownHosts '${env.XM_SSH_KNOWN_HOSTS}' }
                workdir '$workdir'
            }"""
        Path script = dir.resolve('run.sh')
        script.toFile().text = "cd '${dir}' && XMRUN_HOME='${dir.resolve('home')}' XMRUN_CONFIG='${config}' '" +
                ProcessHandle.current().info().command().get() + "' -cp '" + System.getProperty('java.class.path') +
                "' xmrun.Main clusters check locked; echo \$? > '${dir.resolve('check.rc')}'"
        String session = "xmrun-spec-${System.nanoTime()}"

        when: 'xmrun runs on a terminal (its output too: Java sees a console only then), and we type the passphrase'
        ['tmux', 'new-session', '-d', '-s', session, '-x', '160', '-y', '20', "bash '$script'; sleep 60".toString()].execute().waitFor()
        assert waitFor(90) { pane(session).contains('Passphrase for') }
        ['tmux', 'send-keys', '-t', session, 'open sesame', 'Enter'].execute().waitFor()
        assert waitFor(90) { Files.exists(dir.resolve('check.rc')) }

        then:
        Files.readString(dir.resolve('check.rc')).trim() == '0'
        pane(session).readLines().count { it.startsWith('ok ') } == 4

        cleanup:
        ['tmux', 'kill-session', '-t', session].execute().waitFor()
        if (before != null) {
            Files.writeString(authorized, before)
        }
    }

    def 'keys held by ssh-agent log in without any key file: #type'() {
        given: 'an agent holding a key the test user accepts, and a config naming no usable key file'
        Path key = dir.resolve("agent_$type")
        assert ['ssh-keygen', '-q', '-t', type, '-N', '', '-C', 'xmrun-agent-spec', '-f', key.toString()].execute().waitFor() == 0
        Path authorized = Path.of('/home', env.XM_SSH_USER as String, '.ssh/authorized_keys')
        String before = Files.readString(authorized)
        Files.writeString(authorized, before + Files.readString(Path.of(key.toString() + '.pub')))
        Path sock = dir.resolve('agent.sock')
        Process agent = ['ssh-agent', '-D', '-a', sock.toString()].execute()
        assert waitFor(10) { Files.exists(sock) }
        def add = new ProcessBuilder('ssh-add', key.toString()).redirectErrorStream(true)
        add.environment().put('SSH_AUTH_SOCK', sock.toString())
        assert add.start().waitFor() == 0
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('agent') {
                scheduler 'slurm'
                ssh { host '127.0.0.1'; port ${env.XM_SSH_PORT}; user '${env.XM_SSH_USER}'; identity '${dir.resolve('no-such-key')}'
                      knownHosts '${env.XM_SSH_KNOWN_HOSTS}' }
                workdir '$workdir'
            }"""

        when:
        def withAgent = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString(), SSH_AUTH_SOCK: sock.toString()])
                .run('clusters', 'check', 'agent')
        def without = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString(), SSH_AUTH_SOCK: ''])
                .run('clusters', 'check', 'agent')

        then:
        withAgent.exitCode == 0
        withAgent.out.readLines().count { it.startsWith('ok ') } == 4
        without.exitCode == 1
        without.err.contains('no-such-key does not exist')

        cleanup:
        agent?.destroy()
        if (before != null) {
            Files.writeString(authorized, before)
        }

        where:
        type << ['ed25519', 'rsa']
    }

    static String pane(String session) {
        def p = ['tmux', 'capture-pane', '-p', '-t', session].execute()
        String text = p.text
        p.waitFor()
        text
    }

    static boolean waitFor(int seconds, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (System.currentTimeMillis() < deadline) {
            if (condition()) {
                return true
            }
            sleep(200)
        }
        false
    }

    int submittedInStore() {
        storeIds().size()
    }

    Map<Integer, String> storeIds() {
        Path db = dir.resolve('home/store.sqlite')
        if (!Files.exists(db)) {
            return [:]
        }
        def ids = [:]
        try {
            java.sql.DriverManager.getConnection('jdbc:sqlite:' + db).withCloseable { c ->
                def rs = c.createStatement().executeQuery('SELECT id, scheduler_id FROM work_units WHERE scheduler_id IS NOT NULL')
                while (rs.next()) {
                    ids[rs.getInt(1)] = rs.getString(2)
                }
            }
        } catch (java.sql.SQLException ignored) {
            // xmrun is still creating the store
        }
        ids
    }

    /** Array job id -> the offset comment sbatch was given, for this spec's experiment (its work dir is in the command). */
    Map<String, String> arraysInSlurm() {
        String mine = workdir.substring(2) + '/experiments/'
        def p = ['squeue', '--noheader', '--states=all', '--name=xm1-many', '--format=%A|%k|%o'].execute()
        def out = p.text
        p.waitFor()
        out.readLines().findAll { it.contains(mine) }.collectEntries { String l -> def f = l.trim().split('\\|'); [(f[0]): f[1]] }
    }
}
