package xmrun.faults

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.cluster.LiveCluster

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest

/**
 * The SSH connection cut while xmrun uploads code: only the sshd process serving this xmrun's connection is killed
 * (found by the connection's ports), never the sshd that listens, which others use.
 */
class SshFaultSpec extends Specification {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')
    static final int FILES = 6
    static final int SIZE = 24 * 1024 * 1024

    @TempDir
    Path dir

    Map<String, String> env = LiveCluster.env()
    String workdir = "xmrun-spec-${UUID.randomUUID().toString().take(8)}"

    def setupSpec() {
        LiveCluster.require('sshd', ['test', '-s', CLUSTER.resolve('ssh/sshd.pid').toString()])
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
    }

    XmrunProcess xmrun(int port = env.XM_SSH_PORT as int, Map<String, String> extra = [:]) {
        Path config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('remote') {
                scheduler 'slurm'
                ssh {
                    host '127.0.0.1'
                    port $port
                    user '${env.XM_SSH_USER}'
                    identity '${env.XM_SSH_KEY}'
                    knownHosts '${env.XM_SSH_KNOWN_HOSTS}'
                }
                workdir '~/$workdir'
            }"""
        new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()] + extra)
    }

    Path remoteRoot() {
        Path.of(Daemons.run(['getent', 'passwd', env.XM_SSH_USER]).split(':')[5], workdir)
    }

    def 'a connection cut during the code upload fails clearly with exit 1, and the next launch sends only what did not arrive whole'() {
        given: 'six large files, and a launcher'
        Path code = Files.createDirectories(dir.resolve('code'))
        Random random = new Random(7)
        Map<String, String> sums = [:]
        (1..FILES).each { int i ->
            byte[] bytes = new byte[SIZE + i]
            random.nextBytes(bytes)
            Files.write(code.resolve("part${i}.bin"), bytes)
            sums["part${i}.bin"] = MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
        }
        Path f = code.resolve('launch.xm.groovy')
        f.toFile().text = "experiment('cut') { cluster 'remote'; job('one') { command 'true' } }"
        sums['launch.xm.groovy'] = sha256(f)
        Path blobs = remoteRoot().resolve('blobs')

        when: 'the launcher and a first large file have arrived, the sshd process serving this xmrun is killed'
        Process p = xmrun().start(['launch', f.toString()], Files.createDirectories(dir.resolve('out')))
        long deadline = System.currentTimeMillis() + 60_000
        while (!(Files.isDirectory(blobs) && Files.list(blobs).count() >= 3)) {
            assert p.alive && System.currentTimeMillis() < deadline: dir.resolve('out/stderr').toFile().text
            sleep(20)
        }
        List<Long> killed = sshdServing(p.pid(), env.XM_SSH_PORT as int)
        killed.each { Daemons.run(['kill', '-KILL', "$it"]) }
        assert p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)
        String err = dir.resolve('out/stderr').toFile().text
        int whole = sums.count { name, sum -> wholeBlob(blobs, sum, code.resolve(name)) }

        then: 'what happened, what was kept, what to do; nothing recorded'
        !killed.isEmpty()
        p.exitValue() == 1
        err.readLines().size() == 1
        err.startsWith("xmrun: connection to ${env.XM_SSH_USER}@127.0.0.1:${env.XM_SSH_PORT} lost while writing")
        err.contains("code files; nothing was launched. Launch again: the files that arrived whole are kept, only the rest is sent")
        new JsonSlurper().parseText(xmrun().run('list', '--json').out) == []
        whole >= 2 && whole <= FILES

        when: 'launched again'
        def again = xmrun().run('launch', f.toString())

        then: 'only the files that were not whole are sent, and the staged copy is the local code'
        again.exitCode == 0
        again.out =~ /code: ${sums.size() - whole} files? uploaded \(\S+ MiB\), $whole unchanged/
        String codeDir = (again.out =~ /-> (\S+)/)[0][1]
        sums.every { name, sum -> sha256(Path.of(codeDir, name)) == sum }

        cleanup:
        p?.destroyForcibly()
        Daemons.run(['rm', '-rf', remoteRoot().toString()])
    }

    def 'a login node that cannot be reached is named first, and status waits for it only as long as XMRUN_PATIENCE says, then shows what it knew'() {
        given: 'an experiment launched while the login node answered'
        Path f = dir.resolve('reach.xm.groovy')
        f.toFile().text = "experiment('reach') { cluster 'remote'; job('one') { command 'sleep', '30' } }"
        assert xmrun().run('launch', f.toString()).exitCode == 0
        int closed = freePort()

        when: 'the cluster is then reached on a port where nothing listens'
        def launch = xmrun(closed).run('launch', f.toString())
        long t0 = System.nanoTime()
        def status = xmrun(closed, [XMRUN_PATIENCE: '3s']).run('status', '1')
        double seconds = (System.nanoTime() - t0) / 1e9

        then: 'a launch fails at once with what is wrong'
        launch.exitCode == 1
        launch.err.trim() ==~ /xmrun: cannot reach ${env.XM_SSH_USER}@127\.0\.0\.1:$closed: .*Connection refused.*/

        and: 'status says when the trouble started, gives up after its patience, and shows the last states it knew'
        status.exitCode == 1
        status.err.readLines().size() == 2
        status.err.readLines()[0] ==~ /xmrun: cannot reach .*; trying again for up to 3 s/
        status.err.readLines()[1] ==~ /xmrun: cannot reach .*; still failing after \d+ s, giving up \(XMRUN_PATIENCE=3s; set it to wait longer\)/
        status.out.readLines()[0] == 'last known states (the scheduler did not answer since):'
        status.out.readLines()[1].startsWith("experiment 1 'reach' on remote: 1 ")
        seconds < 30

        cleanup:
        xmrun().run('cancel', '1')
        Daemons.run(['rm', '-rf', remoteRoot().toString()])
    }

    static int freePort() {
        new ServerSocket(0).withCloseable { it.localPort }
    }

    /** The sshd processes on the server end of the client's connection to port {@code serverPort}. */
    static List<Long> sshdServing(long clientPid, int serverPort) {
        String client = Daemons.run(['ss', '-tnpH', 'state', 'established', "( dport = :$serverPort )"])
        String line = client.readLines().find { it.contains("pid=$clientPid,") }
        assert line: "no connection of $clientPid to port $serverPort:\n$client"
        String local = line.trim().split(/\s+/)[2]
        String port = local.substring(local.lastIndexOf(':') + 1)
        String server = Daemons.run(['ss', '-tnpH', 'state', 'established', "( sport = :$serverPort and dport = :$port )"])
        (server =~ /pid=(\d+)/).collect { it[1] as long }.unique().findAll {
            Path comm = Path.of('/proc', "$it", 'comm')
            Files.isReadable(comm) && comm.toFile().text.trim() == 'sshd'
        }
    }

    static boolean wholeBlob(Path blobs, String sum, Path local) {
        Path blob = blobs.resolve(sum)
        Files.isRegularFile(blob) && Files.size(blob) == Files.size(local)
    }

    static String sha256(Path p) {
        Daemons.run(['sha256sum', p.toString()]).split(' ')[0]
    }
}
