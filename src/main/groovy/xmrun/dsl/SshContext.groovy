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

    void host(Object h) {
        once('host')
        host = hostName('host', h)
    }

    void port(Object p) {
        once('port')
        port = wholeNumber('port', p, 1)
        if (port > 65535) {
            throw new DslError("port must be at most 65535, got $p")
        }
    }

    void user(Object u) {
        once('user')
        user = text('user', u)
        if (!(user ==~ /[^\s@:]+/)) {
            throw new DslError("user must be a login name without blanks, '@' or ':', got '$user'")
        }
    }

    void identity(Object file) {
        once('identity')
        identity = path('identity', file)
    }

    /** A jump host: an ssh config alias or [user@]host[:port], or several separated by commas (ssh(1), -J). */
    void jump(Object j) {
        once('jump')
        jump = text('jump', j)
        for (String hop : jump.split(',', -1)) {
            if (!(hop ==~ /([^\s@:,]+@)?(\[[0-9A-Fa-f:.]+\]|[^\s@:,\[\]]+)(:\d{1,5})?/)) {
                throw new DslError("jump must be an ssh config alias or [user@]host[:port], got '$jump'")
            }
        }
    }

    void knownHosts(Object file) {
        once('knownHosts')
        knownHosts = path('knownHosts', file)
    }

    /** The OpenSSH client config to read instead of ~/.ssh/config. */
    void sshConfig(Object file) {
        once('sshConfig')
        sshConfig = path('sshConfig', file)
    }

    /** A host name, address or ssh config alias: something ssh(1) could be given. */
    static String hostName(String word, Object value) {
        String h = text(word, value)
        if (!(h ==~ /[^\s@]+/)) {
            throw new DslError(h.contains('@') ? "$word takes the host alone, got '$h'; the login name goes in user"
                    : "$word must be a host name or an ssh config alias, got '$h'")
        }
        h
    }

    /** Files are read by xmrun wherever it is started, so a relative path would depend on the directory. */
    private static String path(String word, Object value) {
        String p = text(word, value)
        if (!p.startsWith('/') && !p.startsWith('~/')) {
            throw new DslError("$word must be an absolute path (or start with ~/), got '$p'")
        }
        p
    }

    SshTarget build() {
        if (host == null) {
            throw new DslError("$word { } needs a host: host 'login.example.org'")
        }
        new SshTarget(host, port, user, identity, jump, knownHosts, sshConfig)
    }
}
