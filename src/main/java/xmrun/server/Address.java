package xmrun.server;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a server listens and what it is: XMRUN_HOME/server/IDENTITY.sock, the identity naming the jar (its
 * path, size and time) that client and server were started from. A rebuilt jar has another identity, so
 * another socket: its clients never reach a server still running the old classes. Part of the client's jar.
 */
final class Address {
    /** sun_path holds 108 bytes (unix(7)); longer, and there is no server (every command runs in its own process). */
    static final int MAX_SOCKET_PATH = 107;

    private Address() {
    }

    /** The identity of the jar (or class file) at {@code path}. */
    static String identity(String path) {
        File f = new File(path).getAbsoluteFile();
        // StringBuilder, not +: string concatenation bootstraps method handles, tens of ms of a client's start
        String what = new StringBuilder(f.getPath()).append('|').append(f.length()).append('|').append(f.lastModified()).toString();
        long h = 0xcbf29ce484222325L; // FNV-1a, 64 bits: a name, not a secret
        for (byte b : what.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new StringBuilder(Long.toHexString(h)).append('-').append(Long.toHexString(f.length())).append('-')
                .append(Long.toHexString(f.lastModified())).toString();
    }

    /**
     * XMRUN_SERVER_DIR, else XMRUN_HOME/server, as XmrunHome finds XMRUN_HOME (the default ~/.local/share/xmrun). A
     * server serves any XMRUN_HOME (each command brings its environment): one directory for several homes, one server.
     */
    static Path dir(Map<String, String> env) {
        String own = env.get("XMRUN_SERVER_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath();
        }
        String home = env.get("XMRUN_HOME");
        Path dir = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".local/share/xmrun");
        return dir.toAbsolutePath().resolve("server");
    }

    static Path socket(Map<String, String> env, String identity) {
        return dir(env).resolve(new StringBuilder(identity.substring(0, identity.indexOf('-'))).append(".sock").toString());
    }

    static boolean usable(Path socket) {
        return socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
    }
}
