package xmrun.transport.ssh;

import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;
import xmrun.Failure;
import xmrun.FaultKind;
import xmrun.config.SshEndpoint;
import xmrun.render.ShellQuote;
import xmrun.transport.ConnectionLost;
import xmrun.transport.ExecResult;
import xmrun.transport.Transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs commands and moves files on a login node over one SSH connection (plus one to a jump host),
 * opened on first use and kept for the life of the xmrun command. Host keys are checked against
 * known_hosts; there is no way to turn that off. A command is never sent twice: if the connection
 * drops while one runs, the error says it may have run, and the next command reconnects. Commands may run from
 * several threads at once, each in a session of its own on the one connection (a job's arrays are submitted so).
 */
public final class SshTransport implements Transport {
    private static final int CONNECT_TRIES = 3;
    private static final int WRITE_CHUNK = 32 * 1024;

    private final SshEndpoint endpoint;
    private SSHClient client;
    private SSHClient jumpClient;
    private SFTPClient sftp;
    private final Set<String> madeDirs = new HashSet<>();

    public SshTransport(SshEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Exports NAME, VALUE pairs read from stdin (NUL-terminated, so any value arrives byte for byte), then runs the
     * command: values go through the encrypted channel into the command's environment, never onto its command line.
     * sshd's own environment passing (the "env" request) is refused unless sshd_config's AcceptEnv names the variable.
     */
    static final String ENV_FROM_STDIN = "while IFS= read -r -d '' xm_name && IFS= read -r -d '' xm_value; do"
            + " export \"$xm_name=$xm_value\"; done; unset xm_name xm_value; exec \"$@\"";

    @Override
    public ExecResult run(List<String> argv) {
        return run(argv, Map.of());
    }

    @Override
    public ExecResult run(List<String> argv, Map<String, String> env) {
        SSHClient c = connected();
        List<String> full = argv;
        if (!env.isEmpty()) {
            full = new java.util.ArrayList<>(List.of("bash", "-c", ENV_FROM_STDIN, "xmrun-env"));
            full.addAll(argv);
        }
        String command = ShellQuote.join(full);
        try {
            Session session = c.startSession();
            boolean done = false;
            try {
                Session.Command cmd = session.exec(command);
                if (!env.isEmpty()) {
                    try (OutputStream in = cmd.getOutputStream()) {
                        in.write(pairs(env));
                    } // closed: the command's stdin ends, and the loop with it
                }
                CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(cmd.getErrorStream()));
                byte[] out = readAll(cmd.getInputStream());
                cmd.join();
                Integer status = cmd.getExitStatus();
                if (status == null) {
                    throw new ConnectionLost("connection to " + endpoint + " lost while running " + argv.get(0) + "; it may have run", null);
                }
                done = true;
                return new ExecResult(status, new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
            } finally {
                close(session, done);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Failure f) {
                throw f;
            }
            drop();
            throw new ConnectionLost("connection to " + endpoint + " lost while running " + argv.get(0) + " (" + e.getMessage()
                    + "); it may have run", e);
        }
    }

    /** NAME NUL VALUE NUL, for {@link #ENV_FROM_STDIN}. */
    static byte[] pairs(Map<String, String> env) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        env.forEach((name, value) -> {
            out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        });
        return out.toByteArray();
    }

    @Override
    public void write(List<FileContent> files) {
        SFTPClient s = sftp();
        try {
            for (FileContent f : files) {
                String path = absolute(f.path());
                String parent = path.substring(0, path.lastIndexOf('/'));
                if (madeDirs.add(parent)) {
                    s.mkdirs(parent);
                }
                FileAttributes mode = new FileAttributes.Builder().withPermissions(f.executable() ? 0755 : 0644).build();
                RemoteFile file = s.open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC), mode);
                boolean done = false;
                try {
                    OutputStream out = file.new RemoteFileOutputStream(0, 16);
                    // each write() is one SFTP request: a whole large file in one would exceed the packet size
                    byte[] bytes = f.content();
                    for (int off = 0; off < bytes.length; off += WRITE_CHUNK) {
                        out.write(bytes, off, Math.min(WRITE_CHUNK, bytes.length - off));
                    }
                    out.close(); // waits until the server has confirmed every write
                    done = true;
                } finally {
                    close(file, done);
                }
            }
        } catch (IOException e) {
            drop();
            throw new ConnectionLost("connection to " + endpoint + " lost while writing (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public byte[] read(String path, long offset) {
        SFTPClient s = sftp();
        try {
            RemoteFile file = s.open(absolute(path));
            boolean done = false;
            try {
                long length = file.length();
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[32 * 1024];
                for (long pos = offset; pos < length; ) {
                    int n = file.read(pos, chunk, 0, (int) Math.min(chunk.length, length - pos));
                    if (n <= 0) {
                        break;
                    }
                    buf.write(chunk, 0, n);
                    pos += n;
                }
                done = true;
                return buf.toByteArray();
            } finally {
                close(file, done);
            }
        } catch (SFTPException e) {
            if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                return new byte[0];
            }
            throw new Failure("cannot read " + path + " on " + endpoint + ": " + e.getMessage(), e);
        } catch (IOException e) {
            drop();
            throw new ConnectionLost("connection to " + endpoint + " lost while reading " + path + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String home() {
        try {
            return sftp().canonicalize(".");
        } catch (IOException e) {
            drop();
            throw new ConnectionLost("connection to " + endpoint + " lost while asking for the home directory (" + e.getMessage() + ")", e);
        }
    }

    private String absolute(String path) {
        return path.startsWith("~/") ? home() + path.substring(1) : path;
    }

    private synchronized SFTPClient sftp() {
        if (sftp == null) {
            try {
                sftp = connected().newSFTPClient();
            } catch (IOException e) {
                drop();
                throw new ConnectionLost("connection to " + endpoint + " lost while opening SFTP (" + e.getMessage() + ")", e);
            }
        }
        return sftp;
    }

    /** The open connection, or a new one: tried a few times with growing pauses, as networks blink. */
    private synchronized SSHClient connected() {
        if (client != null && client.isConnected() && client.isAuthenticated()) {
            return client;
        }
        drop();
        Failure last = null;
        for (int attempt = 0; attempt < CONNECT_TRIES; attempt++) {
            try {
                if (attempt > 0) {
                    Thread.sleep(500L << attempt);
                }
                client = connect();
                return client;
            } catch (Failure e) {
                drop();
                if (e.getCause() == null) {
                    throw e; // a host key or authentication problem: trying again will not help
                }
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted while connecting to " + endpoint, e);
            }
        }
        throw last;
    }

    private SSHClient connect() {
        SSHClient c = new SSHClient(new DefaultConfig());
        KnownHostsVerifier verifier = verifier(endpoint);
        c.addHostKeyVerifier(verifier);
        c.setConnectTimeout(10_000);
        try {
            if (endpoint.jump() != null) {
                jumpClient = new SSHClient(new DefaultConfig());
                KnownHostsVerifier jumpVerifier = verifier(endpoint.jump());
                jumpClient.addHostKeyVerifier(jumpVerifier);
                jumpClient.setConnectTimeout(10_000);
                open(jumpClient, endpoint.jump(), jumpVerifier, null);
                open(c, endpoint, verifier, jumpClient);
            } else {
                open(c, endpoint, verifier, null);
            }
            return c;
        } catch (IOException e) {
            closeQuietly(c);
            throw new Failure("cannot reach " + endpoint + ": " + e.getMessage(), FaultKind.HOST_UNREACHABLE, e);
        }
    }

    private static void open(SSHClient c, SshEndpoint e, KnownHostsVerifier verifier, SSHClient via) throws IOException {
        try {
            if (via != null) {
                c.connectVia(via.newDirectConnection(e.host(), e.port()));
            } else {
                c.connect(e.host(), e.port());
            }
        } catch (TransportException ex) {
            if (verifier.problem() != null) {
                throw new Failure("refusing to connect to " + e + ": " + verifier.problem());
            }
            throw ex;
        }
        Login.authenticate(c, e);
    }

    private static KnownHostsVerifier verifier(SshEndpoint e) {
        try {
            return new KnownHostsVerifier(e.knownHosts().toFile());
        } catch (IOException ex) {
            throw new Failure("cannot read " + e.knownHosts() + ": " + ex.getMessage(), ex);
        }
    }

    private synchronized void drop() {
        sftp = null;
        madeDirs.clear();
        closeQuietly(client);
        closeQuietly(jumpClient);
        client = null;
        jumpClient = null;
    }

    private static void closeQuietly(SSHClient c) {
        if (c != null) {
            try {
                c.disconnect();
            } catch (IOException ignored) {
                // closing a connection that is already gone
            }
        }
    }

    /**
     * Closes a session or remote file. After the work with it failed, closing is only tidying: sshj hands every waiter
     * on a dead connection the same exception, which try-with-resources cannot add to itself as suppressed.
     */
    private static void close(java.io.Closeable c, boolean workDone) throws IOException {
        if (workDone) {
            c.close();
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // the failure of the work itself is what is reported
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        drop();
    }
}
