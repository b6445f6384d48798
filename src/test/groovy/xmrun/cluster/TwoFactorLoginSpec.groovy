package xmrun.cluster

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.render.ShellQuote

import java.nio.file.Files
import java.nio.file.Path

/**
 * Logs in to the test cluster's two-factor sshd (127.0.0.1:2224, user xmotp: the key, then a time-based
 * one-time code that PAM's pam_oath asks for through keyboard-interactive) with the xmrun CLI on a real
 * terminal, typing codes from oathtool at its prompts, and in front of the live Slurm on this host.
 */
class TwoFactorLoginSpec extends Specification {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')
    static final Path OTP_LOG = CLUSTER.resolve('ssh/sshd-otp.log')
    /** Prints a code the server takes now: a code works once, so two logins in one 30 s step need two. */
    static final Path NEXT_CODE = Path.of('src/test/cluster/otp-code.sh').toAbsolutePath()
    /** pam_oath's question, as the server sends it. */
    static final String PROMPT = 'One-time password (OATH) for'

    @TempDir
    Path dir

    Properties env = new Properties()
    String workdir = "~/xmrun-2fa-${UUID.randomUUID().toString().take(8)}"

    def setupSpec() {
        LiveCluster.require('two-factor sshd', ['test', '-s', CLUSTER.resolve('ssh/sshd-otp.pid').toString()])
        LiveCluster.require('two-factor sshd (in cluster.env)', ['grep', '-q', '^XM_SSH_OTP_PORT=', CLUSTER.resolve('cluster.env').toString()])
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
        LiveCluster.require('tmux', ['tmux', '-V'])
        LiveCluster.require('oathtool', ['oathtool', '--version'])
    }

    def setup() {
        CLUSTER.resolve('cluster.env').toFile().withReader { env.load(it) }
        dir.resolve('clusters.groovy').toFile().text = """
            cluster('otp') {
                scheduler 'slurm'
                ssh {
                    host '127.0.0.1'
                    port ${env.XM_SSH_OTP_PORT}
                    user '${env.XM_SSH_OTP_USER}'
                    identity '${env.XM_SSH_KEY}'
                    knownHosts '${env.XM_SSH_KNOWN_HOSTS}'
                }
                workdir '$workdir'
            }"""
        dir.resolve('launch.xm.groovy').toFile().text = """
            experiment('two-factor') {
                cluster 'otp'
                job('hello') { command 'echo', 'two factors' }
            }"""
    }

    def cleanup() {
        // the launches' code and experiment directories in the two-factor user's home
        new ProcessBuilder('rm', '-rf', Path.of('/home', env.XM_SSH_OTP_USER as String, workdir.substring(2)).toString()).start().waitFor()
    }

    def 'on a terminal, launch and status each ask for the one-time code once, and the work unit succeeds'() {
        given:
        int logins = serverLog('Accepted keyboard-interactive/pam for ')
        int keys = serverLog('Partial publickey for ')

        when: 'xmrun launch runs on a terminal, and the code from oathtool is typed at its prompt'
        TerminalRun launch = onTerminal(['launch', launcher()]) { it.type(nextCode()) }

        then:
        launch.exitCode == 0
        launch.prompts == 1
        launch.screen.contains("1 work unit on otp")

        when: 'xmrun status, on a terminal too, until the work unit has ended'
        List<TerminalRun> statuses = []
        while (statuses.size() < 10 && !(statuses && statuses.last().screen =~ /\bhello\s+(SUCCEEDED|FAILED|CANCELLED)\b/)) {
            if (statuses) {
                sleep(1000)
            }
            statuses << onTerminal(['status', '1']) { it.type(nextCode()) }
        }

        then:
        statuses.every { it.exitCode == 0 && it.prompts == 1 }
        statuses.last().screen =~ /\bhello\s+SUCCEEDED\s+0\b/

        and: 'the server saw, per xmrun command, one connection that gave the key and then a code'
        serverLog('Accepted keyboard-interactive/pam for ') - logins == 1 + statuses.size()
        serverLog('Partial publickey for ') - keys == 1 + statuses.size()
    }

    def 'a wrong code is asked again, twice, then xmrun stops with what was refused and exit 1'() {
        given:
        String wrong = wrongCode()
        int logins = serverLog('Accepted keyboard-interactive/pam for ')

        when:
        TerminalRun launch = onTerminal(['launch', launcher()]) { it.type(wrong) }

        then:
        launch.exitCode == 1
        launch.prompts == 3
        launch.screen.contains('not accepted, try again (2 of 3)')
        launch.screen.contains('not accepted, try again (3 of 3)')
        launch.screen.contains("xmrun: login refused: ${env.XM_SSH_OTP_USER}@127.0.0.1:${env.XM_SSH_OTP_PORT} accepted the key, " +
                "then refused what was typed at \"$PROMPT `${env.XM_SSH_OTP_USER}':\" (3 tries)")
        !launch.screen.contains('Exception')
        !(launch.screen =~ /(?m)^\s+at [a-z]/)
        launch.seconds < 60

        and: 'no login, and nothing recorded as launched'
        serverLog('Accepted keyboard-interactive/pam for ') == logins
        new JsonSlurper().parseText(xmrun().run('list', '--json').out) == []
    }

    def 'without a terminal xmrun fails at once: the server wants keyboard-interactive and there is nobody to ask'() {
        given:
        int keys = serverLog('Partial publickey for ')
        int typed = serverLog('Postponed keyboard-interactive for ')

        when: 'a plain subprocess: input and output are pipes'
        long t0 = System.nanoTime()
        def r = xmrun().run('launch', launcher())
        double seconds = (System.nanoTime() - t0) / 1e9

        then:
        r.exitCode == 1
        r.err.trim() == "xmrun: login refused: ${env.XM_SSH_OTP_USER}@127.0.0.1:${env.XM_SSH_OTP_PORT} accepted the key, then also wants " +
                "keyboard-interactive login (a one-time code or a password), and there is no terminal to ask on: run xmrun on a " +
                "terminal (Java sees one only when both input and output are on it)"
        seconds < 30

        and: 'the key went in, keyboard-interactive was never begun, nothing was recorded'
        serverLog('Partial publickey for ') - keys == 1
        serverLog('Postponed keyboard-interactive for ') == typed
        new JsonSlurper().parseText(xmrun().run('list', '--json').out) == []
    }

    def 'a code typed more than 30 s after the prompt is still taken'() {
        when: 'the person at the terminal takes longer than the SSH library waits by default'
        TerminalRun check = onTerminal(['clusters', 'check', 'otp']) {
            sleep(35_000)
            it.type(nextCode())
        }

        then:
        check.exitCode == 0
        check.prompts == 1
        check.screen.readLines().count { it.startsWith('ok ') } == 4
        !check.screen.contains('Exception')
    }

    def 'end of input at the prompt (Ctrl-D) ends the login with exit 1 and asks no more'() {
        when:
        TerminalRun launch = onTerminal(['launch', launcher()]) { it.key('C-d') }

        then:
        launch.exitCode == 1
        launch.prompts == 1
        launch.screen.contains("xmrun: login refused: ${env.XM_SSH_OTP_USER}@127.0.0.1:${env.XM_SSH_OTP_PORT} accepted the key, " +
                "then asked \"$PROMPT `${env.XM_SSH_OTP_USER}':\" and got no answer (end of input)")
        !launch.screen.contains('Exception')
    }

    // ---- helpers

    static class TerminalRun {
        int exitCode
        int prompts
        String screen
        double seconds

        String toString() { "exit $exitCode after ${seconds}s, $prompts prompts\n$screen" }
    }

    String launcher() {
        dir.resolve('launch.xm.groovy').toString()
    }

    XmrunProcess xmrun() {
        new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: dir.resolve('clusters.groovy').toString(), SSH_AUTH_SOCK: ''])
    }

    /**
     * Runs xmrun on a terminal (its output too: Java sees a console only then) until it exits; at each code
     * prompt, {@code answer} is called with the terminal to type on.
     */
    TerminalRun onTerminal(List<String> args, Closure<?> answer) {
        Path rc = dir.resolve("rc-${System.nanoTime()}")
        String java = ProcessHandle.current().info().command().get()
        // no agent: the key file is the first factor here, whatever agent the caller has
        String command = 'cd ' + ShellQuote.quote(dir.toString()) + ' && SSH_AUTH_SOCK= XMRUN_HOME=' + ShellQuote.quote(dir.resolve('home').toString()) +
                ' XMRUN_CONFIG=' + ShellQuote.quote(dir.resolve('clusters.groovy').toString()) + ' ' +
                ShellQuote.join([java, '-XX:TieredStopAtLevel=1', '-cp', System.getProperty('java.class.path'), 'xmrun.Main'] + args) +
                '; echo $? > ' + ShellQuote.quote(rc.toString())
        long t0 = System.nanoTime()
        long deadline = System.currentTimeMillis() + 120_000
        TmuxTerminal terminal = new TmuxTerminal(command)
        try {
            int answered = 0
            while (!Files.exists(rc) || Files.size(rc) == 0) {
                assert System.currentTimeMillis() < deadline: "xmrun ${args} did not end within 120 s:\n${terminal.screen()}"
                if (prompts(terminal.screen()) > answered) {
                    answer(terminal)
                    answered++
                }
                sleep(100)
            }
            String screen = terminal.screen()
            new TerminalRun(exitCode: Files.readString(rc).trim() as int, prompts: prompts(screen), screen: screen,
                    seconds: (System.nanoTime() - t0) / 1e9)
        } finally {
            terminal.close()
        }
    }

    /** Lines that are xmrun's prompt for the code (not a message quoting it). */
    int prompts(String screen) {
        String prompt = "${env.XM_SSH_OTP_USER}@127.0.0.1:${env.XM_SSH_OTP_PORT}: $PROMPT"
        screen.readLines().count { it.startsWith(prompt) } as int
    }

    static String nextCode() {
        run(['bash', NEXT_CODE.toString()]).trim()
    }

    /** Six digits that are no code of any 30 s step the server could take now (its window, and then some). */
    String wrongCode() {
        String secret = Files.readString(Path.of(env.XM_SSH_OTP_SECRET_FILE as String)).trim()
        long step = (System.currentTimeMillis() / 1000 / 30) as long
        Set<String> valid = run(['oathtool', '--totp', '-b', '-w', '60', '-N', "@${(step - 30) * 30}".toString(), secret])
                .readLines()*.trim().toSet()
        assert valid.size() > 50
        (0..9).collect { (it as String) * 6 }.find { !(it in valid) }
    }

    static int serverLog(String text) {
        Files.readAllLines(OTP_LOG).count { it.contains(text) } as int
    }

    static String run(List<String> argv) {
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        String out = p.inputStream.getText('UTF-8')
        assert p.waitFor() == 0: "$argv failed"
        out
    }
}
