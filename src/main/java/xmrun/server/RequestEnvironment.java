package xmrun.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The working directory and environment of the command being run. Run in its own process, xmrun has the
 * process's own (and nothing here changes a path or a child process). Served by the xmrun server, the JVM's
 * directory and environment are the server's, so the few places that read either go through {@link #current()}:
 * relative paths the user typed, child processes (sbatch, qsub, the local runner, git: their directory and
 * environment, which a Slurm job inherits by default) and SSH_AUTH_SOCK.
 *
 * <p>One request runs at a time (see {@link Server}), so one global value is right for every thread a request
 * starts (parallel cluster queries, stream readers).
 */
public final class RequestEnvironment {
    private static final RequestEnvironment OWN = new RequestEnvironment(null, null);
    private static volatile RequestEnvironment current = OWN;

    private final Path cwd;
    private final Map<String, String> env;

    private RequestEnvironment(Path cwd, Map<String, String> env) {
        this.cwd = cwd;
        this.env = env;
    }

    /** A served request's: {@code cwd} absolute. */
    public static RequestEnvironment served(Path cwd, Map<String, String> env) {
        return new RequestEnvironment(cwd.toAbsolutePath().normalize(), Map.copyOf(env));
    }

    public static RequestEnvironment current() {
        return current;
    }

    static void set(RequestEnvironment request) {
        current = request == null ? OWN : request;
    }

    /** Whether this is a served request (else: this process's own directory and environment). */
    public boolean isServed() {
        return cwd != null;
    }

    /** A path as the user typed it: relative to the request's directory when served, as it is otherwise. */
    public Path path(String typed) {
        return isServed() ? cwd.resolve(typed) : Path.of(typed);
    }

    /** A path option picocli made: the same. */
    public Path path(Path typed) {
        return isServed() ? cwd.resolve(typed) : typed;
    }

    /** The working directory, absolute. */
    public Path cwd() {
        return isServed() ? cwd : Path.of("").toAbsolutePath();
    }

    public String getenv(String name) {
        return isServed() ? env.get(name) : System.getenv(name);
    }

    /** Makes a child process start where the request is, with its environment (a no-op when not served). */
    public ProcessBuilder apply(ProcessBuilder pb) {
        if (isServed()) {
            pb.directory(cwd.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            // the JDK looks a bare program name up in the server's PATH (childproc.c), not in the child's
            List<String> argv = pb.command();
            if (!argv.isEmpty() && !argv.get(0).contains("/")) {
                Path found = onPath(argv.get(0));
                if (found != null) {
                    List<String> resolved = new ArrayList<>(argv);
                    resolved.set(0, found.toString());
                    pb.command(resolved);
                }
            }
        }
        return pb;
    }

    /** execvp(3)'s search: the first executable file of that name in the request's PATH. */
    private Path onPath(String program) {
        String path = env.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":", -1)) {
            Path p = cwd.resolve(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
