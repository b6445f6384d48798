package xmrun.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A login node with everything needed to connect, after {@link SshTarget} has been completed from the
 * OpenSSH client config and defaults.
 *
 * @param identities private keys to try, in order (only existing files)
 * @param jump       the jump host to go through, or null
 */
public record SshEndpoint(String host, int port, String user, List<Path> identities, Path knownHosts, SshEndpoint jump) {

    @Override
    public String toString() {
        return user + "@" + host + (port == 22 ? "" : ":" + port) + (jump == null ? "" : " via " + jump);
    }

    /** Completes a target the way ssh(1) would: explicit values first, then the config file, then defaults. */
    public static SshEndpoint resolve(SshTarget t, Path home) {
        Path configFile = t.sshConfig() != null ? expand(t.sshConfig(), home) : home.resolve(".ssh/config");
        return resolve(t.host(), t.port(), t.user(), t.identity(), t.jump(), t.knownHosts(), OpenSshConfig.read(configFile), home, 0);
    }

    private static SshEndpoint resolve(String alias, Integer port, String user, String identity, String jump, String knownHosts,
                                       OpenSshConfig config, Path home, int depth) {
        if (depth > 4) {
            throw new xmrun.UserError("ProxyJump chain for '" + alias + "' is too long (a loop?)");
        }
        String host = or(config.get(alias, "hostname"), alias);
        int p = port != null ? port : Integer.parseInt(or(config.get(alias, "port"), "22"));
        String u = or(user, or(config.get(alias, "user"), System.getProperty("user.name")));
        List<Path> ids = new ArrayList<>();
        String id = or(identity, config.get(alias, "identityfile"));
        if (id != null) {
            ids.add(expand(id, home));
        } else {
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                if (home.resolve(".ssh").resolve(name).toFile().isFile()) {
                    ids.add(home.resolve(".ssh").resolve(name));
                }
            }
        }
        Path kh = expand(or(knownHosts, or(config.get(alias, "userknownhostsfile"), "~/.ssh/known_hosts")), home);
        String j = or(jump, config.get(alias, "proxyjump"));
        SshEndpoint jumpHost = null;
        if (j != null && !j.equalsIgnoreCase("none")) {
            jumpHost = jumpEndpoint(j, config, home, depth, kh, id);
        }
        return new SshEndpoint(host, p, u, List.copyOf(ids), kh, jumpHost);
    }

    /**
     * {@code alias} or {@code [user@]host[:port]}; only the first of a comma-separated chain is taken per level.
     * Without a key of its own in the ssh config, the jump host is tried with the target's key.
     */
    private static SshEndpoint jumpEndpoint(String spec, OpenSshConfig config, Path home, int depth, Path knownHosts, String identity) {
        String first = spec.split(",")[0].strip();
        String user = null;
        Integer port = null;
        int at = first.indexOf('@');
        if (at >= 0) {
            user = first.substring(0, at);
            first = first.substring(at + 1);
        }
        int colon = first.lastIndexOf(':');
        if (colon > 0 && first.indexOf(']') < colon) {
            port = Integer.parseInt(first.substring(colon + 1));
            first = first.substring(0, colon);
        }
        return resolve(first, port, user, config.get(first, "identityfile") == null ? identity : null, null,
                config.get(first, "userknownhostsfile") == null ? knownHosts.toString() : null, config, home, depth + 1);
    }

    static Path expand(String path, Path home) {
        return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
