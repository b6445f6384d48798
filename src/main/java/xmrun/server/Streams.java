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

    /**
     * A command's stdout and stderr on their way to its client, in the order written: bytes wait up to
     * {@link #DELAY_MS} (or until {@link #LIMIT} of them) and go as one frame. A table printed a line at a time is
     * then a few frames, not a frame, a socket write and a client write per line; a line is still seen at once.
     */
    static final class Outbox {
        static final int LIMIT = 32 * 1024;
        static final long DELAY_MS = 10;
        private static final java.util.concurrent.ScheduledExecutorService FLUSHER =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "xmrun-output");
                    t.setDaemon(true);
                    return t;
                });

        private final Wire wire;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        private byte pendingType;
        private boolean scheduled;
        private volatile boolean silent;

        Outbox(Wire wire) {
            this.wire = wire;
        }

        /** Nothing more reaches the client: it is gone, or interrupted the command. */
        synchronized void silence() {
            silent = true;
            pending.reset();
        }

        synchronized void write(byte type, byte[] b, int off, int len) {
            if (silent || len == 0) {
                return;
            }
            if (pending.size() > 0 && pendingType != type) {
                flush(); // stdout, then stderr: each frame one stream, in the order written
            }
            pendingType = type;
            pending.write(b, off, len);
            if (pending.size() >= LIMIT) {
                flush();
            } else if (!scheduled) {
                scheduled = true;
                FLUSHER.schedule(this::flush, DELAY_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        /** Sends what waits now: before the command asks for stdin (a prompt shows first) and before its exit code. */
        synchronized void flush() {
            scheduled = false;
            if (silent || pending.size() == 0) {
                return;
            }
            try {
                wire.send(pendingType, pending.toByteArray());
            } catch (IOException e) {
                silent = true; // the client is gone; the command runs on as it would with its terminal closed
            }
            pending.reset();
        }

        OutputStream stream(byte type) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    Outbox.this.write(type, b, off, len);
                }
            };
        }
    }

    /** A command's stdin: read from the client only when the command reads (a command that does not, takes none). */
    static final class Input extends InputStream {
        private static final byte[] END = new byte[0];
        private final Wire wire;
        private final Outbox output;
        private final LinkedBlockingQueue<byte[]> arrived = new LinkedBlockingQueue<>();
        private byte[] pending;
        private int pos;
        private boolean ended;

        Input(Wire wire, Outbox output) {
            this.wire = wire;
            this.output = output;
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
                output.flush();
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
