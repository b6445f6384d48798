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

    Result run(List<String> args, Path workingDir = null) {
        String java = ProcessHandle.current().info().command().orElse('java')
        List<String> argv = [java, '-XX:TieredStopAtLevel=1', '-cp', System.getProperty('java.class.path'), 'xmrun.Main'] + args
        ProcessBuilder pb = new ProcessBuilder(argv)
        pb.environment().put('XMRUN_HOME', home.toString())
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

    /** Starts xmrun without waiting; its output goes to files in the given directory. */
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
