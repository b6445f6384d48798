package xmrun.config;

/**
 * How to reach a login node, as the user wrote it; fields not given are filled in from
 * {@code ~/.ssh/config} (or the file named by {@code sshConfig}) when the connection is made.
 *
 * @param host       a host name, address or ~/.ssh/config alias
 * @param port       null: from ssh config, else 22
 * @param identity   private key file; null: from ssh config, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa
 * @param jump       a jump host ({@code ProxyJump}): an alias or {@code [user@]host[:port]}; null: from ssh config
 * @param knownHosts known_hosts file; null: from ssh config, else ~/.ssh/known_hosts
 * @param sshConfig  the OpenSSH client config to read; null: ~/.ssh/config
 */
public record SshTarget(String host, Integer port, String user, String identity, String jump, String knownHosts,
                        String sshConfig) {
}
