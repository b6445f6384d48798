package xmrun.executor;

import xmrun.transport.ExecResult;
import xmrun.transport.Transport;

import java.util.ArrayList;
import java.util.List;

/**
 * A cluster's transport with the words its config puts before every command ({@code env SLURM_CONF=...},
 * a command prefix): the one place they are added, so every scheduler command of the cluster gets them,
 * and so does every other command (they do not mind). Files move as they would without it.
 */
final class PrefixedTransport implements Transport {
    private final Transport inner;
    private final List<String> prefix;

    private PrefixedTransport(Transport inner, List<String> prefix) {
        this.inner = inner;
        this.prefix = List.copyOf(prefix);
    }

    /** {@code transport} itself when there is nothing to put before its commands. */
    static Transport wrap(Transport transport, List<String> prefix) {
        return prefix.isEmpty() ? transport : new PrefixedTransport(transport, prefix);
    }

    @Override
    public ExecResult run(List<String> argv) {
        List<String> full = new ArrayList<>(prefix.size() + argv.size());
        full.addAll(prefix);
        full.addAll(argv);
        return inner.run(full);
    }

    @Override
    public void write(List<FileContent> files) {
        inner.write(files);
    }

    @Override
    public byte[] read(String path, long offset) {
        return inner.read(path, offset);
    }

    @Override
    public String home() {
        return inner.home();
    }

    @Override
    public void close() {
        inner.close();
    }
}
