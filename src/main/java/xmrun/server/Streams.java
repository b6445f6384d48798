package xmrun.server;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * System.out, System.err and System.in of the server, routed to the command being served (a launcher's
 * {@code println}, a library writing to System.err) and, between commands, to the server's log.
 */
final class Streams {
    /** The server's own log: its stdout as started (XMRUN_HOME/server/server.log). */
    static final PrintStream LOG = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    private static final OutputStream LOG_STREAM = new FileOutputStream(FileDescriptor.out);

    private static volatile OutputStream out;
    private static volatile OutputStream err;
    private static volatile InputStream in;

    private Streams() {
    }

    static void install() {
        System.setOut(new PrintStream(new Routed(true), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Routed(false), true, StandardCharsets.UTF_8));
        System.setIn(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                InputStream target = in;
                return target == null ? -1 : target.read(b, off, len);
            }
        });
    }

    static void route(OutputStream o, OutputStream e, InputStream i) {
        out = o;
        err = e;
        in = i;
    }

    private static final class Routed extends OutputStream {
        private final boolean isOut;

        Routed(boolean isOut) {
            this.isOut = isOut;
        }

        private OutputStream target() {
            OutputStream t = isOut ? out : err;
            return t == null ? LOG_STREAM : t;
        }

        @Override
        public void write(int b) throws IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target().write(b, off, len);
        }
    }

    /** A command's stdout or stderr: frames to its client, dropped once the client is gone or interrupted it. */
    static final class Sink extends OutputStream {
        private final Wire wire;
        private final byte type;
        private volatile boolean silent;

        Sink(Wire wire, byte type) {
            this.wire = wire;
            this.type = type;
        }

        void silence() {
            silent = true;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (silent || len == 0) {
                return;
            }
            try {
                wire.send(type, b, off, len);
            } catch (IOException e) {
                silent = true; // the client is gone; the command runs on as it would with its terminal closed
            }
        }
    }

    /** A command's stdin: read from the client only when the command reads (a command that does not, takes none). */
    static final class Input extends InputStream {
        private static final byte[] END = new byte[0];
        private final Wire wire;
        private final LinkedBlockingQueue<byte[]> arrived = new LinkedBlockingQueue<>();
        private byte[] pending;
        private int pos;
        private boolean ended;

        Input(Wire wire) {
            this.wire = wire;
        }

        void offer(byte[] data) {
            arrived.add(data == null ? END : data);
        }

        @Override
        public synchronized int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pending == null || pos == pending.length) {
                if (ended) {
                    return -1;
                }
                wire.sendInt(Wire.WANT_IN, len);
                try {
                    pending = arrived.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
                pos = 0;
                if (pending == END) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(len, pending.length - pos);
            System.arraycopy(pending, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
