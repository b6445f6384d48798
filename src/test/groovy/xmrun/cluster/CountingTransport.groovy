package xmrun.cluster

import xmrun.transport.ExecResult
import xmrun.transport.LocalTransport
import xmrun.transport.Transport


/** The real local transport, recording every command; optionally answering some commands itself. */
class CountingTransport implements Transport {
    final List<List<String>> calls = Collections.synchronizedList([])
    final Transport real = new LocalTransport()
    Closure<ExecResult> override = { List<String> argv -> null }

    ExecResult run(List<String> argv) {
        run(argv, [:])
    }

    ExecResult run(List<String> argv, Map<String, String> env) {
        calls << argv
        override(argv) ?: real.run(argv, env)
    }

    void write(List<FileContent> files) {
        real.write(files)
    }

    byte[] read(String path, long offset) {
        real.read(path, offset)
    }

    String home() {
        real.home()
    }

    /**
     * Calls of {@code program} that reach the scheduler. The version query a launch records with its provenance
     * ({@code sbatch --version}, {@code qstat -help}) is answered by the client alone, and is not counted.
     */
    int count(String program) {
        calls.count { programOf(it) == program && !versionQuery(it) }
    }

    static boolean versionQuery(List<String> argv) {
        argv.size() >= 2 && argv[-1] in ['--version', '-help'] && programOf(argv) == argv[-2]
    }

    /**
     * The program an argv runs, looking through {@code env VAR=value ...} prefixes (a cluster's environment, then the
     * command's own); a fixed shell text ({@code sh -c TEXT NAME ...}, the local scheduler's commands) is known by its
     * name ($0).
     */
    static String programOf(List<String> argv) {
        int i = 0
        while (i < argv.size() && argv[i] == 'env') {
            i++
            while (i < argv.size() && argv[i].contains('=')) {
                i++
            }
        }
        if (argv.size() > i + 3 && argv[i] == 'sh' && argv[i + 1] == '-c') {
            return argv[i + 3]
        }
        argv[i]
    }

    void reset() {
        calls.clear()
    }
}
