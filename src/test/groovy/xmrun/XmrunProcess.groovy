package xmrun

import java.nio.file.Path

/** Runs xmrun as a separate JVM, the way a user does, with its own XMRUN_HOME. */
class XmrunProcess {
    final Path home
    final Map<String, String> env

    XmrunProcess(Path home, Map<String, String> env = [:]) {
        this.home = home
        this.env = env
    }

    static class Result {
        int exitCode
        String out
        String err

        String toString() { "exit $exitCode\n--- stdout\n$out--- stderr\n$err" }
    }

    /**
     * As bin/xmrun does: through the xmrun server's client, which runs the command in a JVM of its own when no server
     * answers (and starts one for the next command). XMRUN_NO_SERVER in {@code env} turns the server off. One server
     * serves every spec of this build (XMRUN_SERVER_DIR: target/xmrun-test-server), each command with its own
     * XMRUN_HOME; it stops after XMRUN_SERVER_IDLE (20 s unless {@code env} says otherwise) or when the classes change.
     */
    Result run(List<String> args, Path workingDir = null) {
        ProcessBuilder pb = new ProcessBuilder(clientArgv() + args)
        pb.environment().put('XMRUN_HOME', home.toString())
        pb.environment().put('XMRUN_SERVER_IDLE', '20')
        pb.environment().put('XMRUN_SERVER_DIR', SERVER_DIR.toString())
        pb.environment().putAll(env)
        if (workingDir != null) {
            pb.directory(workingDir.toFile())
        }
        Process p = pb.start()
        def err = new ByteArrayOutputStream()
        Thread t = Thread.start { p.errorStream.transferTo(err) }
        String out = new String(p.inputStream.readAllBytes(), 'UTF-8')
        int code = p.waitFor()
        t.join()
        new Result(exitCode: code, out: out, err: err.toString('UTF-8'))
    }

    static final Path SERVER_DIR = Path.of(xmrun.Main.protectionDomain.codeSource.location.toURI()).resolveSibling('xmrun-test-server')

    /** The client's command line for the test class path (see xmrun.server.Client): identity, own JVM, server. */
    static List<String> clientArgv() {
        String java = ProcessHandle.current().info().command().orElse('java')
        String cp = System.getProperty('java.class.path')
        String identity = Path.of(xmrun.Main.protectionDomain.codeSource.location.toURI()).resolve('xmrun/Main.class').toString()
        List<String> own = [java, '-XX:TieredStopAtLevel=1', '-cp', cp, 'xmrun.Main']
        List<String> server = [java, '-XX:+UseSerialGC', '--add-opens', 'java.base/java.util=ALL-UNNAMED', '-cp', cp, 'xmrun.server.Server', identity]
        [java, '-XX:TieredStopAtLevel=1', '-cp', cp, 'xmrun.server.Client', identity, own.size().toString()] + own +
                [server.size().toString()] + server
    }

    /** Starts xmrun without waiting, in a JVM of its own (no server): killing it kills the command; its output goes to files in the given directory. */
    Process start(List<String> args, java.nio.file.Path outputDir) {
        String java = ProcessHandle.current().info().command().orElse('java')
        List<String> argv = [java, '-XX:TieredStopAtLevel=1', '-cp', System.getProperty('java.class.path'), 'xmrun.Main'] + args
        ProcessBuilder pb = new ProcessBuilder(argv)
        pb.environment().put('XMRUN_HOME', home.toString())
        pb.environment().putAll(env)
        pb.redirectOutput(outputDir.resolve('stdout').toFile()).redirectError(outputDir.resolve('stderr').toFile()).start()
    }

    Result run(String... args) {
        run(args as List<String>)
    }
}
