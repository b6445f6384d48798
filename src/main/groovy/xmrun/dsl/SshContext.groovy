package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.config.SshTarget

/** {@code ssh { host 'login.example.org'; port 22; user 'me'; identity '~/.ssh/id_ed25519'; jump 'bastion' }} */
@CompileStatic
class SshContext extends DslContext {
    private String host
    private Integer port
    private String user
    private String identity
    private String jump
    private String knownHosts
    private String sshConfig
    private final String word

    /** @param word the block's word: ssh, or proxy (the same settings for a job's tunnel) */
    SshContext(String word = 'ssh') {
        this.word = word
    }

    String blockName() { "$word { }" }

    void host(Object h) { host = text('host', h) }

    void port(Object p) {
        port = wholeNumber('port', p, 1)
        if (port > 65535) {
            throw new DslError("port must be at most 65535, got $p")
        }
    }

    void user(Object u) { user = text('user', u) }

    void identity(Object file) { identity = text('identity', file) }

    /** A jump host: an ssh config alias or [user@]host[:port]. */
    void jump(Object j) { jump = text('jump', j) }

    void knownHosts(Object file) { knownHosts = text('knownHosts', file) }

    /** The OpenSSH client config to read instead of ~/.ssh/config. */
    void sshConfig(Object file) { sshConfig = text('sshConfig', file) }

    SshTarget build() {
        if (host == null) {
            throw new DslError("$word { } needs a host: host 'login.example.org'")
        }
        new SshTarget(host, port, user, identity, jump, knownHosts, sshConfig)
    }
}
