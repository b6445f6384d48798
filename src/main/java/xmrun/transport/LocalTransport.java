package xmrun.transport;

import xmrun.Failure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs commands on this machine. */
public final class LocalTransport implements Transport {

    @Override
    public ExecResult run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
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

    @Override
    public long startDetached(List<String> argv, Path log) {
        List<String> command = new ArrayList<>();
        command.add("setsid"); // new session: not a child of xmrun's terminal, own process group for cancel
        command.addAll(argv);
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
            return p.pid(); // setsid execs in place (the child is no group leader), so this pid is the session's
        } catch (IOException e) {
            throw new Failure("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
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
