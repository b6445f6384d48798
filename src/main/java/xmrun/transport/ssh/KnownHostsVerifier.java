package xmrun.transport.ssh;

import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

import java.io.File;
import java.io.IOException;
import java.security.PublicKey;

/**
 * known_hosts checking as ssh(1) does it with StrictHostKeyChecking: an unknown or changed host key
 * refuses the connection. It remembers why, so the error can say what to do.
 */
final class KnownHostsVerifier extends OpenSSHKnownHosts {
    private String problem;

    KnownHostsVerifier(File knownHosts) throws IOException {
        super(knownHosts);
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String host, PublicKey key) {
        problem = "the host key of " + host + " (" + SecurityUtils.getFingerprint(key) + ") is not in " + getFile()
                + "; check the fingerprint with the cluster's admins, then add it with: ssh-keyscan " + scanArgs(host)
                + " >> " + getFile();
        return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String host, PublicKey key) {
        problem = "the host key of " + host + " has CHANGED (now " + SecurityUtils.getFingerprint(key) + "; " + getFile()
                + " has another): someone may be intercepting the connection. If the cluster was reinstalled, remove the"
                + " old key with: ssh-keygen -R '" + host + "' -f " + getFile();
        return false;
    }

    /** known_hosts writes non-default ports as [host]:port. */
    private static String scanArgs(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return "-p " + host.substring(close + 2) + " " + host.substring(1, close);
        }
        return host;
    }

    String problem() {
        return problem;
    }
}
