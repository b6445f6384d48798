package xmrun.transport;

import java.io.Closeable;
import java.util.List;
import java.util.Map;

/**
 * The only layer that starts processes or opens sockets: run an argv somewhere, move files there.
 * Commands are argv lists end to end; an implementation that needs a shell command line (SSH)
 * builds it with {@link xmrun.render.ShellQuote}, never by joining with spaces.
 */
public interface Transport extends Closeable {

    /** A file to create; {@code path} is absolute on the side the transport reaches. */
    record FileContent(String path, byte[] content, boolean executable) {
    }

    /** Runs a command to completion and collects its output. */
    ExecResult run(List<String> argv);

    /**
     * The same, with {@code env} added to the command's environment: how secrets reach a submit command. The values
     * appear on no command line (a process list shows those to every user) and in no file.
     */
    default ExecResult run(List<String> argv, Map<String, String> env) {
        if (env.isEmpty()) {
            return run(argv);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot give a command an environment");
    }

    /** Creates the files (and their directories), replacing what is there. */
    void write(List<FileContent> files);

    /** The file's bytes from {@code offset} on; empty when it does not exist (yet). */
    byte[] read(String path, long offset);

    /** The home directory of the account commands run as: where paths written as ~/... are. */
    String home();

    @Override
    default void close() {
    }
}
