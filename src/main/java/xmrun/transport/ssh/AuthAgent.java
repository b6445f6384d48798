package xmrun.transport.ssh;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * Public key authentication (RFC 4252, section 7) with a key that ssh-agent holds: the request is
 * sent already signed, the signature made by the agent over the session id and the request.
 */
final class AuthAgent extends AbstractAuthMethod {
    private final SshAgent agent;
    private final SshAgent.Identity identity;

    AuthAgent(SshAgent agent, SshAgent.Identity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
    }

    /** RSA keys sign with SHA-512 (rsa-sha2-512); servers refuse the old SHA-1 "ssh-rsa" signatures. */
    private String algorithm() {
        return identity.keyType().equals("ssh-rsa") ? "rsa-sha2-512" : identity.keyType();
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        SSHPacket req = super.buildReq().putBoolean(true).putString(algorithm()).putString(identity.blob());
        byte[] signed = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(req).getCompactData();
        int flags = identity.keyType().equals("ssh-rsa") ? SshAgent.RSA_SHA2_512 : 0;
        return req.putString(agent.sign(identity.blob(), signed, flags));
    }
}
