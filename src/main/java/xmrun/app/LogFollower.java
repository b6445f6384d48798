package xmrun.app;

import xmrun.executor.Cluster;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;

import java.util.function.Consumer;

/** A work unit's output files, read where they are (this machine or the cluster), once or followed like tail -f. */
public final class LogFollower {
    static final long TICK_MS = 250;
    /** The files are read four times a second, the scheduler asked every 2 s: a status call is dearer than a read. */
    static final int STATUS_EVERY_TICKS = 8;

    private final StatusService status;

    public LogFollower(StatusService status) {
        this.status = status;
    }

    /** Output as it comes, in order: to {@code out} (stdout) and {@code err} (stderr). */
    public record Sinks(Consumer<byte[]> out, Consumer<byte[]> err) {
    }

    /** Both files from the start; a file not written yet is empty. */
    public void copy(ExperimentRecord exp, WorkUnitRecord u, Sinks sinks) {
        copy(exp, u, Cluster.Output.STDOUT, 0, sinks.out());
        copy(exp, u, Cluster.Output.STDERR, 0, sinks.err());
    }

    /** Like tail -f on both files; returns once the unit is final and both files are drained. */
    public void follow(ExperimentRecord exp, WorkUnitRecord u, Sinks sinks) throws InterruptedException {
        long outPos = 0;
        long errPos = 0;
        for (int tick = 0; ; tick++) {
            boolean done = tick % STATUS_EVERY_TICKS == 0
                    && status.refresh(exp).stream().filter(r -> r.id() == u.id()).allMatch(r -> r.state().isFinal());
            outPos = copy(exp, u, Cluster.Output.STDOUT, outPos, sinks.out());
            errPos = copy(exp, u, Cluster.Output.STDERR, errPos, sinks.err());
            if (done) {
                return;
            }
            Thread.sleep(TICK_MS);
        }
    }

    /** Copies the output from {@code from} to its end; returns the new position. */
    private long copy(ExperimentRecord exp, WorkUnitRecord u, Cluster.Output which, long from, Consumer<byte[]> to) {
        byte[] bytes = status.cluster(exp).transport().read(Cluster.unitOutput(exp, u, which), from);
        if (bytes.length > 0) {
            to.accept(bytes);
        }
        return from + bytes.length;
    }
}
