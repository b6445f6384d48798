package xmrun.transport.ssh;

import xmrun.Failure;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of a running ssh-agent (the SSH agent protocol, draft-miller-ssh-agent): lists the keys
 * it holds and has it sign. Private keys never leave the agent, and xmrun never asks for passphrases
 * the user already typed into ssh-add.
 */
final class SshAgent {
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    /** Flag asking for an RSA signature with SHA-512 (rsa-sha2-512) instead of SHA-1. */
    static final int RSA_SHA2_512 = 4;

    /** A key the agent holds: its public blob and the algorithm it names itself with ("ssh-ed25519", ...). */
    record Identity(byte[] blob, String keyType, String comment) {
    }

    private final Path socket;

    SshAgent(Path socket) {
        this.socket = socket;
    }

    /** The agent named by SSH_AUTH_SOCK, or null when there is none. */
    static SshAgent fromEnvironment() {
        String sock = xmrun.server.RequestEnvironment.current().getenv("SSH_AUTH_SOCK");
        return sock == null || sock.isBlank() || !Path.of(sock).toFile().exists() ? null : new SshAgent(Path.of(sock));
    }

    List<Identity> identities() {
        ByteBuffer reply = call(new byte[]{REQUEST_IDENTITIES}, IDENTITIES_ANSWER);
        int n = reply.getInt();
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] blob = bytes(reply);
            String comment = new String(bytes(reply), StandardCharsets.UTF_8);
            ids.add(new Identity(blob, new String(bytes(ByteBuffer.wrap(blob)), StandardCharsets.US_ASCII), comment));
        }
        return ids;
    }

    /** The agent's signature blob (string algorithm, string signature) over {@code data}. */
    byte[] sign(byte[] keyBlob, byte[] data, int flags) {
        ByteBuffer req = ByteBuffer.allocate(1 + 4 + keyBlob.length + 4 + data.length + 4);
        req.put(SIGN_REQUEST).putInt(keyBlob.length).put(keyBlob).putInt(data.length).put(data).putInt(flags);
        return bytes(call(req.array(), SIGN_RESPONSE));
    }

    private ByteBuffer call(byte[] message, byte expected) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = readFully(ch, 4);
            ByteBuffer body = readFully(ch, len.getInt());
            byte type = body.get();
            if (type != expected) {
                throw new Failure("ssh-agent at " + socket + " refused (answer " + type + ")");
            }
            return body;
        } catch (IOException e) {
            throw new Failure("cannot talk to ssh-agent at " + socket + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new IOException("agent closed the connection");
            }
        }
        return buf.flip();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }
}
