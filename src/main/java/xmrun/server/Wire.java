package xmrun.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Frames over the server's socket: a type byte, a 4-byte length, that many bytes. Read and written on the
 * channel itself (not through Channels' streams, which share one lock between a blocked read and a write).
 * Part of the client's jar: JDK classes only.
 */
final class Wire {
    // client -> server
    static final byte HELLO = 'H';   // identity, cwd, args, environment (see Hello)
    static final byte SIGINT = 'I';  // the user pressed Ctrl-C
    static final byte IN = 'i';      // stdin bytes the server asked for
    static final byte IN_END = 'e';  // stdin is at its end
    // server -> client
    static final byte ACCEPTED = 'A'; // the command starts now: from here on, a lost server may have done part of it
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte WANT_IN = 'W';  // up to this many (int) bytes of stdin, please
    static final byte EXIT = 'X';     // the exit code (int)
    static final byte REFUSED = 'R';  // another jar's client: run in your own process
    static final byte BUSY = 'B';     // serving another command: run in your own process

    private final SocketChannel ch;
    private final ByteBuffer head = ByteBuffer.allocate(5);

    Wire(SocketChannel ch) {
        this.ch = ch;
    }

    synchronized void send(byte type, byte[] data, int off, int len) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(5).put(type).putInt(len).flip();
        ByteBuffer b = ByteBuffer.wrap(data, off, len);
        ByteBuffer[] both = {h, b};
        while (b.hasRemaining() || h.hasRemaining()) {
            ch.write(both);
        }
    }

    void send(byte type, byte[] data) throws IOException {
        send(type, data, 0, data.length);
    }

    void sendInt(byte type, int value) throws IOException {
        send(type, ByteBuffer.allocate(4).putInt(value).array());
    }

    /** The next frame's type, its bytes in {@link #data}; -1 at the end of the stream between frames. */
    int receive() throws IOException {
        head.clear();
        if (!fill(head, true)) {
            return -1;
        }
        head.flip();
        byte type = head.get();
        int len = head.getInt();
        if (len < 0 || len > (64 << 20)) {
            throw new IOException("bad frame length " + len);
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        fill(body, false);
        data = body.array();
        return type;
    }

    /** The bytes of the frame {@link #receive()} returned last. Read by the thread that called it. */
    byte[] data;

    int dataInt() {
        return ByteBuffer.wrap(data).getInt();
    }

    private boolean fill(ByteBuffer b, boolean endAllowed) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                if (endAllowed && b.position() == 0) {
                    return false;
                }
                throw new EOFException("the connection ended inside a frame");
            }
        }
        return true;
    }

    /** What a client sends first. */
    static final class Hello {
        String identity;
        String cwd;
        String[] args;
        String[] env; // NAME=VALUE

        byte[] encode() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            string(out, identity);
            string(out, cwd);
            out.writeInt(args.length);
            for (String a : args) {
                string(out, a);
            }
            out.writeInt(env.length);
            for (String e : env) {
                string(out, e);
            }
            out.flush();
            return bytes.toByteArray();
        }

        static Hello decode(byte[] data) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
            Hello h = new Hello();
            h.identity = string(in);
            h.cwd = string(in);
            h.args = new String[in.readInt()];
            for (int i = 0; i < h.args.length; i++) {
                h.args[i] = string(in);
            }
            h.env = new String[in.readInt()];
            for (int i = 0; i < h.env.length; i++) {
                h.env[i] = string(in);
            }
            return h;
        }

        private static void string(DataOutputStream out, String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        private static String string(DataInputStream in) throws IOException {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
