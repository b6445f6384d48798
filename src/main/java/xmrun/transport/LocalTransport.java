package xmrun.transport;

import xmrun.Failure;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs commands on this machine. */
public final class LocalTransport implements Transport {
    private static final File DEV_NULL = new File("/dev/null");

    @Override
    public ExecResult run(List<String> argv) {
        return run(argv, Map.of());
    }

    @Override
    public ExecResult run(List<String> argv, Map<String, String> env) {
        try {
            ProcessBuilder pb = xmrun.server.RequestEnvironment.current().apply(new ProcessBuilder(argv))
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
            pb.environment().putAll(env);
            Process p = pb.start();
            // read stderr on another thread so a chatty command cannot fill one pipe and stall
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = readAll(p.getInputStream());
            int code = p.waitFor();
            return new ExecResult(code, new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failure("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while running " + argv.get(0), e);
        }
    }

    /**
     * Starts a process that runs on after this call returns, stdin closed, stdout and stderr appended to
     * {@code output}, with {@code extraEnv} added to this process's environment. For the local
     * scheduler, which owns the processes it starts and waits for them itself.
     */
    public Process start(List<String> argv, Map<String, String> extraEnv, Path output) {
        try {
            ProcessBuilder pb = xmrun.server.RequestEnvironment.current().apply(new ProcessBuilder(argv)).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).redirectErrorStream(true);
            pb.environment().putAll(extraEnv);
            return pb.start();
        } catch (IOException e) {
            throw new Failure("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a process exists and has not exited. On Linux an exited child lingers as a zombie until it
     * is reaped, and proc(5) says so: "pid (comm) state ...", comm may hold spaces and parentheses.
     */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** Sends a signal to a process group (kill(1) with a negative pid): whatever the group's leader started gets it too. */
    public void signalGroup(long pgid, String signal) {
        run(List.of("kill", "-" + signal, "--", "-" + pgid));
    }

    @Override
    public void write(List<FileContent> files) {
        try {
            for (FileContent f : files) {
                Path target = Path.of(f.path());
                Files.createDirectories(target.getParent());
                Files.write(target, f.content());
                if (f.executable()) {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        } catch (IOException e) {
            throw new Failure("cannot write " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String path, long offset) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            in.skipNBytes(offset);
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (java.io.EOFException e) {
            return new byte[0]; // the file is shorter than what was read before: it was replaced
        } catch (IOException e) {
            throw new Failure("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String home() {
        return System.getProperty("user.home");
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
