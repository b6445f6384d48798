package xmrun.cluster

import com.sun.net.httpserver.HttpServer
import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * {@code proxy 'submission-host'}: a job on the live Slurm, launched over SSH as the test user, reaches a web server
 * through an SSH SOCKS tunnel back to the host it was submitted from (the test cluster's sshd, 127.0.0.1:2222).
 * The server asks the kernel which process holds the other end of each connection: through the tunnel it is sshd,
 * directly it would be curl.
 */
class ProxyTunnelSpec extends Specification {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')
    static final Path SSHD_LOG = CLUSTER.resolve('ssh/sshd.log')

    @TempDir
    Path dir

    Properties env = new Properties()
    String remoteName = "xmrun-spec-${UUID.randomUUID().toString().take(8)}"
    Path remote
    Path authorized
    String authorizedBefore
    HttpServer server
    List<String> clients = Collections.synchronizedList([])

    def setupSpec() {
        LiveCluster.require('sshd', ['test', '-s', CLUSTER.resolve('ssh/sshd.pid').toString()])
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
        LiveCluster.require('curl', ['curl', '--version'])
    }

    def setup() {
        CLUSTER.resolve('cluster.env').toFile().withReader { env.load(it) }
        remote = Path.of('/home', env.XM_SSH_USER as String, remoteName)
        authorized = Path.of('/home', env.XM_SSH_USER as String, '.ssh/authorized_keys')
        authorizedBefore = Files.readString(authorized)
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName('127.0.0.1'), 0), 0)
        server.createContext('/page') { exchange ->
            int peer = exchange.remoteAddress.port
            clients << sh('ss', '-Htnp', "sport = :$peer") // while the connection is open: who holds its other end
            byte[] body = 'hello through the tunnel\n'.bytes
            exchange.sendResponseHeaders(200, body.length)
            exchange.responseBody.withCloseable { it.write(body) }
        }
        server.start()
    }

    def cleanup() {
        server?.stop(0)
        if (authorizedBefore != null) {
            Files.writeString(authorized, authorizedBefore)
        }
        sh('rm', '-rf', remote.toString())
    }

    static String sh(String... argv) {
        def p = new ProcessBuilder(argv as List<String>).redirectErrorStream(true).start()
        String out = p.inputStream.text
        p.waitFor()
        out
    }

    /** A key and known_hosts of the test user's own for the tunnel: the job runs as that user, on the node. */
    Map<String, Path> tunnelCredentials(String submissionHost) {
        Files.createDirectories(remote)
        Path key = remote.resolve('tunnel_key')
        assert ['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'xmrun-tunnel-spec', '-f', key.toString()].execute().waitFor() == 0
        Files.writeString(authorized, authorizedBefore + Files.readString(Path.of("${key}.pub")))
        String hostKey = Files.readString(CLUSTER.resolve('ssh/ssh_host_cluster_ed25519_key.pub')).trim().split(' ').take(2).join(' ')
        Path knownHosts = remote.resolve('known_hosts')
        Files.writeString(knownHosts, "[$submissionHost]:${env.XM_SSH_PORT} $hostKey\n")
        assert ['chown', '-R', "${env.XM_SSH_USER}:${env.XM_SSH_USER}", remote.toString()].execute().waitFor() == 0
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString('rw-------'))
        [key: key, knownHosts: knownHosts]
    }

    def 'a job submitted over SSH fetches a page through its tunnel to the submission host, and the tunnel is gone when it ends'() {
        given: 'the host Slurm records as the submission host, which resolves to the loopback the test sshd listens on'
        String submissionHost = InetAddress.localHost.hostName
        assert InetAddress.getByName(submissionHost).loopbackAddress
        def credentials = tunnelCredentials(submissionHost)
        String fingerprint = sh('ssh-keygen', '-lf', "${credentials.key}.pub").split(' ')[1]
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('remote') {
                scheduler 'slurm'
                ssh { host '127.0.0.1'; port ${env.XM_SSH_PORT}; user '${env.XM_SSH_USER}'; identity '${env.XM_SSH_KEY}'; knownHosts '${env.XM_SSH_KNOWN_HOSTS}' }
                workdir '$remote'
                proxy { host 'submission-host'; port ${env.XM_SSH_PORT}; identity '${credentials.key}'; knownHosts '${credentials.knownHosts}' }
            }"""
        Path code = Files.createDirectories(dir.resolve('code'))
        String url = "http://$submissionHost:${server.address.port}/page"
        code.resolve('fetch.xm.groovy').toFile().text = """
            experiment('proxied') {
                cluster 'remote'
                job('fetch') {
                    command 'bash', '-c', 'printf "%s\\\\n" "\$ALL_PROXY" "\$HTTPS_PROXY" "\$NO_PROXY"; curl -sS --fail "\$1"', 'fetch', '$url'
                }
            }"""
        def x = new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])

        when:
        def launch = x.run(['launch', 'fetch.xm.groovy', '--wait'], code)
        Map status = new JsonSlurper().parseText(x.run('status', '1', '--json').out) as Map
        Path wu = Path.of(status.workDir as String, 'wu/1')
        List<String> out = Files.readAllLines(wu.resolve('stdout'))
        String port = (out[0] =~ /^socks5h:\/\/127\.0\.0\.1:(\d+)$/).with { it.matches() ? it.group(1) : null }

        then: 'the page came through the tunnel: its connection to the server was held by sshd, not curl'
        launch.exitCode == 0
        status.workUnits*.state == ['SUCCEEDED']
        port != null
        out == ["socks5h://127.0.0.1:$port".toString(), "socks5h://127.0.0.1:$port".toString(), 'localhost,127.0.0.1,::1',
                'hello through the tunnel']
        clients.size() == 1
        clients[0].contains('"sshd"')
        !clients[0].contains('"curl"')

        and: 'the tunnel logged in with its own key'
        Files.readAllLines(SSHD_LOG).any { it.contains("Accepted publickey for ${env.XM_SSH_USER}") && it.contains(fingerprint) }

        and: 'nothing listens on the tunnel port, and its ssh is gone'
        sh('ss', '-Hltn', "sport = :$port").trim() == ''
        sh('pgrep', '-f', "ssh -N -D 127.0.0.1:$port").trim() == ''
    }
}
