package xmrun.server

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess

import java.net.UnixDomainSocketAddress
import java.nio.channels.SocketChannel
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.TimeUnit

/**
 * The xmrun server through its client, as bin/xmrun runs them (the test class path in place of the jars): each
 * feature has its own XMRUN_HOME, so its own server, stopped at the end.
 */
class ServerSpec extends Specification {
    @TempDir
    Path dir
    Path home

    def setup() {
        home = dir.resolve('home')
    }

    def cleanup() {
        serverPids().each { pid -> ProcessHandle.of(pid).ifPresent { it.destroyForcibly() } }
    }

    static final String LAUNCHER = '''\
println "value=${System.getenv('XM_SPEC_VALUE')}"
experiment('where') {
    cluster 'local'
    job('j') { command 'true' }
}
'''

    static class Run {
        int exitCode
        String out
        String err

        String toString() { "exit $exitCode\n--- stdout\n$out--- stderr\n$err" }
    }

    Process start(List<String> args, Map<String, String> env = [:], Path cwd = dir, File stdin = null) {
        ProcessBuilder pb = new ProcessBuilder(XmrunProcess.clientArgv() + args)
        pb.environment().remove('XMRUN_NO_SERVER')
        pb.environment().remove('XMRUN_SERVER_DIR')
        pb.environment().put('XMRUN_HOME', home.toString())
        pb.environment().put('XMRUN_SERVER_IDLE', '120')
        pb.environment().putAll(env)
        pb.directory(cwd.toFile())
        if (stdin != null) {
            pb.redirectInput(stdin)
        }
        pb.start()
    }

    Run finish(Process p) {
        def err = new ByteArrayOutputStream()
        Thread t = Thread.start { p.errorStream.transferTo(err) }
        String out = new String(p.inputStream.readAllBytes(), 'UTF-8')
        assert p.waitFor(120, TimeUnit.SECONDS)
        t.join()
        new Run(exitCode: p.exitValue(), out: out, err: err.toString('UTF-8'))
    }

    Run run(List<String> args, Map<String, String> env = [:], Path cwd = dir, File stdin = null) {
        finish(start(args, env, cwd, stdin))
    }

    Path log() {
        home.resolve('server/server.log')
    }

    List<Long> serverPids() {
        Files.exists(log()) ? Files.readAllLines(log()).findAll { it.contains(': listening on ') }.collect { (it =~ /pid (\d+):/)[0][1] as long } : []
    }

    /** The pid of the server listening now: the first command started it. */
    long server() {
        long deadline = System.currentTimeMillis() + 90_000
        while (System.currentTimeMillis() < deadline) {
            Path sock = socket()
            if (sock != null && serverPids()) {
                try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                    return serverPids().last()
                } catch (IOException e) { // not yet
                }
            }
            Thread.sleep(100)
        }
        throw new AssertionError("no server listened within 90 s; its log:\n" + (Files.exists(log()) ? Files.readString(log()) : '(none)'))
    }

    Path socket() {
        Path d = home.resolve('server')
        Files.isDirectory(d) ? Files.list(d).withCloseable { s -> s.filter { it.toString().endsWith('.sock') }.findFirst().orElse(null) } : null
    }

    int served() {
        Files.readAllLines(log()).count { it.contains(': served ') } as int
    }

    static boolean waitFor(long seconds, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000
        while (System.currentTimeMillis() < deadline) {
            if (condition()) {
                return true
            }
            Thread.sleep(50)
        }
        condition()
    }

    def 'the first command runs in a JVM of its own and starts a server; the next is served over a socket only its user can reach'() {
        when:
        def first = run(['list'])
        long pid = server()
        def second = run(['list'])

        then:
        first.exitCode == 0
        second.exitCode == 0
        second.out == first.out
        served() == 1
        serverPids() == [pid]
        PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())) == 'rw-------'
        PosixFilePermissions.toString(Files.getPosixFilePermissions(socket().parent)) == 'rwx------'
    }

    def 'two commands in a row from different directories and environments each see their own'() {
        given:
        run(['list'])
        server()
        Path a = Files.createDirectories(dir.resolve('a'))
        Path b = Files.createDirectories(dir.resolve('b'))
        [a, b].each { Files.writeString(it.resolve('where.xm.groovy'), LAUNCHER) }

        when:
        def inA = run(['render', 'where.xm.groovy', '-o', 'out'], [XM_SPEC_VALUE: 'from-a'], a)
        def inB = run(['render', 'where.xm.groovy', '-o', 'out'], [XM_SPEC_VALUE: 'from-b'], b)

        then:
        inA.exitCode == 0
        inB.exitCode == 0
        inA.out.contains('value=from-a')
        !inA.out.contains('from-b')
        inB.out.contains('value=from-b')
        !inB.out.contains('from-a')
        Files.isRegularFile(a.resolve('out/jobs/j.sh'))
        Files.isRegularFile(b.resolve('out/jobs/j.sh'))
        !Files.exists(home.resolve('server/out'))
        served() == 2
    }

    def 'a served command reads its client stdin, and only when it asks'() {
        given:
        run(['list'])
        server()
        Files.writeString(dir.resolve('reads.xm.groovy'), '''\
println "read: ${System.in.newReader().readLine()}"
experiment('reads') { cluster 'local'; job('j') { command 'true' } }
''')
        File input = dir.resolve('input.txt').toFile()
        input.text = 'a line from stdin\n'

        when:
        def r = run(['render', 'reads.xm.groovy', '-o', 'out'], [:], dir, input)

        then:
        r.exitCode == 0
        r.out.contains('read: a line from stdin')
        served() == 1
    }

    def 'exit codes and messages are those of a JVM of its own: #args'() {
        given:
        run(['list'])
        server()
        Files.writeString(dir.resolve('bad.xm.groovy'), "experiment('bad') { job('j') { comand 'true' } }\n")

        when:
        def own = run(args, [XMRUN_NO_SERVER: '1'])
        def servedRun = run(args)

        then:
        servedRun.exitCode == code
        own.exitCode == code
        servedRun.out == own.out
        servedRun.err == own.err
        served() == 1

        where:
        args                        | code
        ['list']                    | 0
        ['status', '42']            | 2
        ['statsu']                  | 2
        ['bad.xm.groovy']           | 2
        ['launch', 'none.xm.groovy'] | 2
    }

    def 'a client of another jar is refused, and the server of this one stops'() {
        given:
        run(['list'])
        long pid = server()
        Path sock = socket()

        when:
        int answer
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            Wire wire = new Wire(ch)
            def hello = new Wire.Hello(identity: 'f00-1-1', cwd: dir.toString(), args: ['list'] as String[], env: [] as String[])
            wire.send(Wire.HELLO, hello.encode())
            answer = wire.receive()
        }

        then:
        answer == Wire.REFUSED
        waitFor(20) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
        !Files.exists(sock)

        and: 'the next command runs all the same'
        run(['list']).exitCode == 0
    }

    def 'Ctrl-C at the client stops a served status --watch, and the server goes on'() {
        given:
        run(['list'])
        long pid = server()
        Files.writeString(dir.resolve('gate.xm.groovy'), "experiment('gate') { cluster 'local'; job('gate') { command 'sleep', '300' } }\n")
        assert run(['gate.xm.groovy']).exitCode == 0

        when:
        Process watch = start(['status', '1', '--watch'])
        def out = new StringBuffer()
        Thread reader = Thread.start { watch.inputStream.eachLine { out.append(it).append('\n') } }
        assert waitFor(60) { out.toString().contains('gate') }
        new ProcessBuilder('kill', '-INT', watch.pid().toString()).start().waitFor()

        then:
        watch.waitFor(20, TimeUnit.SECONDS)
        watch.exitValue() == 130
        ProcessHandle.of(pid).map { it.alive }.orElse(false)
        run(['list']).exitCode == 0
        serverPids() == [pid]
        Files.readString(log()).contains('served status: exit 130')

        cleanup:
        reader?.join(5000)
        run(['cancel', '1'])
    }

    def 'the server stops by itself after XMRUN_SERVER_IDLE seconds without a command'() {
        when:
        run(['list'], [XMRUN_SERVER_IDLE: '2'])
        long pid = server()
        Path sock = socket()

        then:
        waitFor(30) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
        !Files.exists(sock)
        Files.readString(log()).contains('stopping: idle')
    }

    /** 20,000 work units that wait for a gate job: a launch long enough to be cut short, and nothing runs meanwhile. */
    static final String BIG_HELD = '''\
experiment('big') {
    cluster 'local'
    job('gate') { command 'sleep', '300' }
    job('big') {
        command 'true'
        after 'gate'
        sweep { a 1..200; b 1..100 }
    }
}
'''

    def 'a launch cut short by #what loses nothing: the client says so, and resume submits the rest once'() {
        given: 'a sweep of 20,000 work units held behind a gate job'
        run(['list'])
        long pid = server()
        Files.writeString(dir.resolve('big.xm.groovy'), BIG_HELD)

        when: 'the signal comes as soon as the launch has its experiment'
        Process launch = start(['big.xm.groovy'])
        assert waitFor(120) { Files.isDirectory(home.resolve('experiments/1')) }
        long target = signal == 'KILL' ? pid : launch.pid()
        new ProcessBuilder('kill', "-$signal", target.toString()).start().waitFor()
        def cut = finish(launch)

        then: 'the client tells, and the server has ended as a JVM of its own would'
        cut.exitCode == code
        cut.err.contains(message)
        waitFor(20) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }

        when: 'the next commands'
        def list = run(['list'])
        def resume = run(['resume', '1'])

        then:
        list.exitCode == 0
        list.out.contains('big')
        resume.exitCode == 0

        and: 'every work unit is submitted exactly once'
        List<Map<String, String>> arrays = Files.list(home.resolve('local/jobs')).withCloseable { it.toList() }.collect { job ->
            Files.readAllLines(job.resolve('spec')).findAll { it.contains('=') }.collectEntries { it.split('=', 2) as List }
        }
        arrays.countBy { [it.script, it.offset, it.tasks] }.values().every { it == 1 }
        arrays.findAll { it.script.endsWith('gate.sh') }.size() == 1
        arrays.findAll { it.script.endsWith('big.sh') }.sum { a ->
            def (from, to) = a.tasks.split('-')*.toInteger()
            to - from + 1
        } == 20_000

        cleanup:
        run(['cancel', '1'])

        where:
        what                             | signal | code | message
        'SIGKILL of the server'          | 'KILL' | 1    | 'the xmrun server stopped before this command finished'
        'Ctrl-C (SIGINT) at the client'  | 'INT'  | 130  | ''
    }

    def 'a launch cut short and then cancelled stays cancelled: resume submits none of the units it had not stored'() {
        given: 'a sweep of 20,000 work units held behind a gate job, its launch cut short by a SIGKILL of the server'
        run(['list'])
        long pid = server()
        Files.writeString(dir.resolve('big.xm.groovy'), BIG_HELD)
        Process launch = start(['big.xm.groovy'])
        int storedAtKill = 0
        xmrun.store.ExperimentStore.open(home.resolve('store.sqlite')).withCloseable { store ->
            assert waitFor(120) { (storedAtKill = store.experiment(1).isPresent() ? store.workUnitCount(1) : 0) > 0 }
        }
        new ProcessBuilder('kill', '-KILL', pid.toString()).start().waitFor()
        finish(launch)
        waitFor(20) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
        Closure<Long> arrays = { Files.list(home.resolve('local/jobs')).withCloseable { it.count() } }
        long arraysBefore = arrays()

        when:
        def cancel = run(['cancel', '1'])
        def resume = run(['resume', '1'])
        def status = run(['status', '1', '--json'])

        then: 'every unit is known and cancelled, and no array went out after the cancel'
        storedAtKill < 20_001
        cancel.exitCode == 0
        resume.exitCode == 0
        List<Map> units = new groovy.json.JsonSlurper().parseText(status.out).workUnits
        units.size() == 20_001
        units.every { it.state == 'CANCELLED' }
        arrays() == arraysBefore
    }
}
