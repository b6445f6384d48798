package xmrun.server;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The xmrun command when a server may answer: passes its arguments, directory and environment to the user's
 * server (see {@link Server}) and plays back the command's output and exit code; Ctrl-C is passed on. Where no
 * server answers it runs the command in a JVM of its own as xmrun always did, and starts a server for the next
 * command. Loads JDK classes only, from its own small jar, so that it starts nearly as fast as {@code java} does.
 *
 * <p>{@code Client IDENTITY_FILE N IN_PROCESS_ARGV(N words) M SERVER_ARGV(M words) ARGS...}: the jar whose identity
 * names the server, the command that runs xmrun in its own JVM (ARGS appended), the one that runs a server.
 */
public final class Client {
    /** The exit code of a command that did not finish; DESIGN.md: 1 for a runtime failure. */
    static final int LOST = 1;
    /** 128 + SIGINT, as a shell reports a command that Ctrl-C ended. */
    static final int INTERRUPTED = 130;

    private Client() {
    }

    public static void main(String[] a) throws Exception {
        int i = 0;
        String identityFile = a[i++];
        int n = Integer.parseInt(a[i++]);
        List<String> inProcess = new ArrayList<>(Arrays.asList(a).subList(i, i + n));
        i += n;
        int m = Integer.parseInt(a[i++]);
        List<String> server = Arrays.asList(a).subList(i, i + m);
        i += m;
        String[] args = Arrays.copyOfRange(a, i, a.length);
        inProcess.addAll(Arrays.asList(args));

        Map<String, String> env = System.getenv();
        String off = env.get("XMRUN_NO_SERVER");
        String identity = Address.identity(identityFile);
        Path socket = Address.socket(env, identity);
        if ((off != null && !off.isEmpty()) || !Address.usable(socket)) {
            System.exit(inOwnProcess(inProcess));
        }
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) { // none answers: a socket left by a killed server, or none
            if (e instanceof ConnectException) {
                Files.deleteIfExists(socket);
            }
            int code = inOwnProcess(inProcess);
            startServer(server, socket); // after: on few cores, a server starting would slow this command down
            System.exit(code);
            return;
        }
        System.exit(served(ch, identity, args, env, inProcess));
    }

    private static int served(SocketChannel ch, String identity, String[] args, Map<String, String> env, List<String> inProcess)
            throws IOException, InterruptedException {
        Wire wire = new Wire(ch);
        Wire.Hello hello = new Wire.Hello();
        hello.identity = identity;
        hello.cwd = Path.of("").toAbsolutePath().toString();
        hello.args = args;
        hello.env = new String[env.size()];
        int k = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            hello.env[k++] = new StringBuilder(e.getKey()).append('=').append(e.getValue()).toString();
        }
        try {
            wire.send(Wire.HELLO, hello.encode());
        } catch (IOException e) {
            return inOwnProcess(inProcess); // it went away before taking the command
        }
        boolean accepted = false;
        boolean[] interrupted = {false};
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        FileOutputStream err = new FileOutputStream(FileDescriptor.err);
        boolean outOpen = true;
        boolean errOpen = true;
        int type;
        while (true) {
            try {
                type = wire.receive();
            } catch (IOException e) {
                type = -1;
            }
            switch (type) { // arrows over constants: a plain tableswitch, no bootstrap
                case Wire.ACCEPTED -> {
                    accepted = true;
                    onSigint(new Runnable() { // not a lambda: its bootstrap costs a client's start-up
                        public void run() {
                            interrupted[0] = true;
                            try {
                                wire.send(Wire.SIGINT, new byte[0]);
                            } catch (IOException ignored) { // the server is gone: the loop tells
                            }
                        }
                    });
                }
                case Wire.OUT -> outOpen = write(out, outOpen, wire.data);
                case Wire.ERR -> errOpen = write(err, errOpen, wire.data);
                case Wire.WANT_IN -> {
                    byte[] buf = new byte[Math.max(1, Math.min(wire.dataInt(), 65536))];
                    int got = System.in.read(buf);
                    if (got < 0) {
                        wire.send(Wire.IN_END, new byte[0]);
                    } else {
                        wire.send(Wire.IN, buf, 0, got);
                    }
                }
                case Wire.EXIT -> {
                    return wire.dataInt();
                }
                case Wire.REFUSED, Wire.BUSY -> {
                    ch.close();
                    return inOwnProcess(inProcess);
                }
                default -> {
                    if (!accepted) { // closed before it took the command: nothing of it ran
                        return inOwnProcess(inProcess);
                    }
                    if (interrupted[0]) {
                        return INTERRUPTED;
                    }
                    err.write(("xmrun: the xmrun server stopped before this command finished; whatever it had done is kept"
                            + " (a launch cut short: see xmrun list, and submit the rest with: xmrun resume EXP)\n").getBytes());
                    return LOST;
                }
            }
        }
    }

    /**
     * Output to a stream that was closed (`xmrun ... | head`) is dropped, and the command goes on, as a PrintWriter in
     * a JVM of its own drops it.
     */
    private static boolean write(FileOutputStream stream, boolean open, byte[] data) {
        if (open) {
            try {
                stream.write(data);
            } catch (IOException e) {
                return false;
            }
        }
        return open;
    }

    /** Today's way: xmrun in a JVM of its own, on this terminal; a Ctrl-C sent to this process alone is passed on. */
    private static int inOwnProcess(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).inheritIO().start();
        onSigint(new Runnable() {
            public void run() {
                try { // a Ctrl-C at the terminal reaches both processes; a second SIGINT to an ending JVM is harmless
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
                } catch (IOException ignored) { // the child has its own terminal's Ctrl-C
                }
            }
        });
        return p.waitFor();
    }

    /**
     * Starts a server for the next command, detached: in the background of a shell that ends at once, in a session of
     * its own (setsid(1): no terminal, no SIGHUP when this one closes), stdin from /dev/null, its output appended to
     * XMRUN_HOME/server/server.log. One at a time: the lock directory is removed by the server once it listens (or
     * gives up); a lock older than a minute is stale.
     */
    private static void startServer(List<String> serverArgv, Path socket) {
        try {
            Path dir = socket.getParent();
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                return; // one started while this command ran
            } catch (IOException e) { // still none
            }
            if (!Files.isDirectory(dir)) { // the user's alone from the start (the server checks it)
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            Path lock = dir.resolve(socket.getFileName().toString().concat(".starting"));
            try {
                Files.createDirectory(lock);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() < 60_000) {
                    return;
                }
                Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            }
            // through a shell that leaves it running in the background and ends: a child of this JVM that lives on
            // would hold this JVM's exit back by 0.3 s (the JVM waits that long for a thread in native code, here
            // the one in waitpid(2) for it)
            List<String> argv = new ArrayList<>(List.of("sh", "-c", "setsid \"$@\" &", "xmrun-server"));
            argv.addAll(serverArgv);
            Path log = dir.resolve("server.log");
            new ProcessBuilder(argv).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true).start().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException | RuntimeException | InterruptedException e) { // no server this time: the command runs all the same
        }
    }

    @SuppressWarnings("restriction")
    private static void onSigint(Runnable action) {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), new sun.misc.SignalHandler() {
            public void handle(sun.misc.Signal s) {
                action.run();
            }
        });
    }
}
