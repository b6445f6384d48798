package xmrun.server;

import xmrun.Main;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The user's resident xmrun: a JVM that stays up after a command (until idle for XMRUN_SERVER_IDLE seconds, default
 * 1800) so that the next one skips the JVM's and Groovy's start-up. It listens on a Unix-domain socket,
 * XMRUN_HOME/server/ID.sock, mode 0600 in a directory of mode 0700: only its user reaches it. It serves the
 * client of its own jar only, and stops when its jar changes.
 *
 * <p>One command at a time: a client that comes while a command runs is told so and runs in its own JVM (a
 * {@code status --watch} in one terminal never holds up a command in another). Each command has its own directory,
 * environment, arguments, streams (System.out and System.err too: a launcher's {@code println}) and exit code.
 * Ctrl-C at the client (or the client's end) interrupts a command that only reads ({@link #readsOnly}); one that does
 * not stop within {@link #GRACE_MS}, or a command that changes state (launch, resume, cancel, init), ends the server at
 * once, as a Ctrl-C ends xmrun in its own JVM: what a launch has recorded stays recorded, {@code xmrun resume}
 * finishes it.
 */
public final class Server {
    static final long GRACE_MS = 3000;

    private final Path identityFile;
    private final String identity;
    private final Path socket;
    /** The directory is the user's XMRUN_SERVER_DIR (else XMRUN_HOME/server, which is xmrun's own). */
    private final boolean ownDir;
    private final long idleMs;
    private final Object lock = new Object();
    private boolean busy;
    private boolean closing;
    private long lastUsed = System.currentTimeMillis();
    /** Whether the heap was collected since the last command (see {@link #watchIdle}). */
    private boolean collected;
    private ServerSocketChannel listener;
    private Object boundFile;

    Server(Path identityFile, Map<String, String> env) {
        this.identityFile = identityFile;
        this.identity = Address.identity(identityFile.toString());
        this.socket = Address.socket(env, identity);
        String serverDir = env.get("XMRUN_SERVER_DIR");
        this.ownDir = serverDir != null && !serverDir.isBlank();
        this.idleMs = idleSeconds(env.get("XMRUN_SERVER_IDLE")) * 1000;
    }

    static long idleSeconds(String value) {
        try {
            return value == null || value.isBlank() ? 1800 : Math.max(1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 1800;
        }
    }

    /** {@code Server IDENTITY_FILE}: started by the client (see {@link Client}); logs to its stdout. */
    public static void main(String[] args) throws Exception {
        Server server = new Server(Path.of(args[0]), System.getenv());
        try {
            if (server.answered()) {
                return;
            }
            server.warmUp(); // before it listens: meanwhile a command runs in a JVM of its own rather than waiting
            if (!server.listen()) {
                return;
            }
        } finally {
            Files.deleteIfExists(server.socket.resolveSibling(server.socket.getFileName() + ".starting"));
        }
        server.serve();
    }

    private static void log(String message) {
        Streams.LOG.println(Instant.now() + " pid " + ProcessHandle.current().pid() + ": " + message);
        Streams.LOG.flush();
    }

    /** Whether another server answers on this socket already. */
    boolean answered() {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            log("another server answers on " + socket + "; exiting");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Binds the socket; false when another server answers on it already. */
    boolean listen() throws IOException {
        Path dir = socket.getParent();
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException e) { // made by the client that started this server, or earlier
        }
        if (!ownDir) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } else if (!PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)).equals("rwx------")) {
            // XMRUN_SERVER_DIR names a directory others may reach: not ours to change, so no server
            log(dir + " (XMRUN_SERVER_DIR) is not of mode 0700: no server");
            return false;
        }
        if (answered()) {
            return false;
        }
        Files.deleteIfExists(socket); // left by a killed server
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        boundFile = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        // stopped by SIGTERM (kill PID): no socket left behind that nobody answers on
        Runtime.getRuntime().addShutdownHook(new Thread(this::removeSocket, "xmrun-server-stop"));
        // the directory is the user's alone already; the socket is too, in case it is ever moved out of it
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        return true;
    }

    /** Removes this server's socket: not one that a server started since has bound at the same path. */
    private void removeSocket() {
        try {
            Object now = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            if (now != null && now.equals(boundFile)) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) { // gone already
        }
    }

    void serve() throws IOException {
        Streams.install();
        log("listening on " + socket + " (idle limit " + idleMs / 1000 + " s)"
                + (ProcessEnvironment.usable() ? "" : "; a launcher's System.getenv() sees the server's environment (no --add-opens java.base/java.util)"));
        Thread idle = new Thread(this::watchIdle, "xmrun-server-idle");
        idle.setDaemon(true);
        idle.start();
        while (true) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                synchronized (lock) {
                    if (closing) {
                        return;
                    }
                }
                throw e;
            }
            Thread t = new Thread(() -> handle(ch), "xmrun-server-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The classes of the commonest commands, loaded and run once before any client waits for them. */
    void warmUp() {
        try {
            Path dir = Files.createTempDirectory("xmrun-warm");
            try {
                Map<String, String> env = new HashMap<>(System.getenv());
                env.put("XMRUN_HOME", dir.resolve("home").toString());
                env.remove("XMRUN_CONFIG");
                RequestEnvironment.set(RequestEnvironment.served(dir, env));
                PrintWriter sink = new PrintWriter(java.io.OutputStream.nullOutputStream());
                Main.run(new String[]{"list"}, sink, sink, env);
                Path launcher = Files.writeString(dir.resolve("warm.xm.groovy"),
                        "experiment('warm') { cluster 'local'; job('j') { command 'true'; sweep { a 1..10 } } }\n");
                Main.run(new String[]{"render", launcher.toString(), "-o", dir.resolve("out").toString()}, sink, sink, env);
            } finally {
                RequestEnvironment.set(null);
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException | RuntimeException e) {
            log("warm-up: " + e);
        }
    }

    /** How long after a command the heap is collected: not while a user types the next one. */
    static final long SETTLE_MS = 2000;

    private void watchIdle() {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (busy) {
                    continue;
                }
                boolean changed = !Files.exists(identityFile) || !Address.identity(identityFile.toString()).equals(identity);
                boolean gone = !Files.exists(socket); // removed by hand, or by a client that found it dead
                if (changed || gone || System.currentTimeMillis() - lastUsed > idleMs) {
                    stop(changed ? "its jar changed" : gone ? "its socket is gone" : "idle");
                    return;
                }
                if (!collected && System.currentTimeMillis() - lastUsed > SETTLE_MS) {
                    // a large launch leaves a heap of hundreds of MB that the JVM would keep until it stops; a full
                    // collection between commands shrinks it to what is live (MaxHeapFreeRatio, see bin/xmrun)
                    System.gc();
                    collected = true;
                }
            }
        }
    }

    /** Under {@link #lock}, not busy: no command is cut short. */
    private void stop(String why) {
        closing = true;
        log("stopping: " + why);
        removeSocket();
        try {
            listener.close();
        } catch (IOException e) {
            log("closing: " + e);
        }
        System.exit(0);
    }

    private void handle(SocketChannel ch) {
        Wire wire = new Wire(ch);
        try (ch) {
            if (wire.receive() != Wire.HELLO) {
                return;
            }
            Wire.Hello hello = Wire.Hello.decode(wire.data);
            synchronized (lock) {
                if (closing) {
                    return; // the client sees the socket close before ACCEPTED, and runs the command itself
                }
                boolean mine = hello.identity.equals(identity) && Address.identity(identityFile.toString()).equals(identity);
                if (!mine) {
                    wire.send(Wire.REFUSED, "another xmrun".getBytes(StandardCharsets.UTF_8));
                    if (!busy) {
                        stop("a client of another jar (" + hello.identity + ")");
                    }
                    return;
                }
                if (busy) {
                    log("busy: a command came while another ran; it runs in a JVM of its own");
                    wire.send(Wire.BUSY, new byte[0]);
                    return;
                }
                busy = true;
            }
            try {
                wire.send(Wire.ACCEPTED, new byte[0]);
                new Request(wire, hello).run();
            } finally {
                synchronized (lock) {
                    busy = false;
                    lastUsed = System.currentTimeMillis();
                    collected = false;
                }
            }
        } catch (IOException e) {
            log("connection: " + e);
        }
    }

    /**
     * Commands that only read (the store, the scheduler, files) and print: a Ctrl-C interrupts them, the server goes on.
     * {@code ui} too: interrupted, it closes its HTTP server (a Cancel clicked in it is a command of its own, done or not).
     */
    private static final java.util.Set<String> READS_ONLY = java.util.Set.of("status", "logs", "list", "results", "sweep",
            "templates", "render", "clusters", "completion", "__complete", "help", "-h", "--help", "-V", "--version",
            "show", "diff", "ui");

    static boolean readsOnly(String[] args) {
        return args.length == 0 || READS_ONLY.contains(args[0]);
    }

    /** A command's name as the log shows it: a launcher is "launch". */
    private static String commandName(String first) {
        return first.matches("[a-z][a-z-]*") ? first : "launch";
    }

    /** One command: runs on a thread of its own while this one reads what the client sends. */
    private final class Request {
        private final Wire wire;
        private final Wire.Hello hello;
        private final Streams.Outbox output;
        private final OutputStream out;
        private final OutputStream err;
        private final Streams.Input in;
        private volatile boolean interrupted;
        private volatile int code;

        Request(Wire wire, Wire.Hello hello) {
            this.wire = wire;
            this.hello = hello;
            this.output = new Streams.Outbox(wire);
            this.out = output.stream(Wire.OUT);
            this.err = output.stream(Wire.ERR);
            this.in = new Streams.Input(wire, output);
        }

        void run() {
            Map<String, String> env = new HashMap<>();
            for (String e : hello.env) {
                int eq = e.indexOf('=');
                env.put(e.substring(0, eq), e.substring(eq + 1));
            }
            RequestEnvironment.set(RequestEnvironment.served(Path.of(hello.cwd), env));
            ProcessEnvironment.use(env);
            Streams.route(out, err, in);
            long started = System.currentTimeMillis();
            PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
            PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
            Thread worker = new Thread(() -> {
                try {
                    code = Main.run(hello.args, outWriter, errWriter, env);
                } catch (Throwable t) { // Main.run reports failures itself; this is one it could not
                    errWriter.println("xmrun: internal error: " + t);
                    code = 1;
                } finally {
                    outWriter.flush();
                    errWriter.flush();
                    System.out.flush();
                    System.err.flush();
                }
            }, "xmrun-request");
            Thread reader = new Thread(() -> readClient(worker), "xmrun-request-client");
            reader.setDaemon(true);
            worker.start();
            reader.start();
            try {
                long interruptedAt = 0;
                while (worker.isAlive()) {
                    worker.join(100);
                    if (interrupted && interruptedAt == 0) {
                        interruptedAt = System.currentTimeMillis();
                    }
                    if (interruptedAt != 0 && worker.isAlive() && System.currentTimeMillis() - interruptedAt > GRACE_MS) {
                        // as a Ctrl-C ends xmrun in its own JVM: what it recorded stays, resume finishes a launch
                        log("a command did not stop within " + GRACE_MS + " ms of its interruption; ending the server");
                        sendExit(Client.INTERRUPTED);
                        removeSocket();
                        Runtime.getRuntime().halt(Client.INTERRUPTED);
                    }
                }
            } catch (InterruptedException e) {
                log("request: " + e);
            } finally {
                Streams.route(null, null, null);
                ProcessEnvironment.use(null);
                RequestEnvironment.set(null);
            }
            int exit = interrupted ? Client.INTERRUPTED : code;
            // the command's name only: its arguments may hold what the user would not have logged
            log("served " + (hello.args.length == 0 ? "(no arguments)" : hello.args[0].startsWith("-") ? "an option" : commandName(hello.args[0]))
                    + ": exit " + exit + " in " + (System.currentTimeMillis() - started) + " ms" + (interrupted ? ", interrupted" : ""));
            sendExit(exit);
        }

        private void sendExit(int exit) {
            output.flush();
            try {
                wire.sendInt(Wire.EXIT, exit);
            } catch (IOException e) { // the client is gone
            }
        }

        /** SIGINT, stdin, or the client's end (killed: the same as a Ctrl-C, nobody is there to see the rest). */
        private void readClient(Thread worker) {
            try {
                while (true) {
                    int type = wire.receive();
                    if (type == Wire.SIGINT || type < 0) {
                        break;
                    } else if (type == Wire.IN) {
                        in.offer(wire.data);
                    } else if (type == Wire.IN_END) {
                        in.offer(null);
                    }
                }
            } catch (IOException e) { // as the end
            }
            if (worker.isAlive()) {
                interrupted = true;
                output.silence(); // a Ctrl-C'd command in its own JVM prints nothing more either
                if (!readsOnly(hello.args)) {
                    // a launch, resume, cancel or init ends here as in a JVM of its own that Ctrl-C ends:
                    // what it recorded stays recorded, resume finishes a launch (never a rollback half-run)
                    log("a command that changes state was interrupted; ending the server as Ctrl-C ends xmrun");
                    sendExit(Client.INTERRUPTED);
                    removeSocket();
                    Runtime.getRuntime().halt(Client.INTERRUPTED);
                }
                in.offer(null);
                worker.interrupt();
            }
        }
    }
}
