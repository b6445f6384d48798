package xmrun.app;

import xmrun.UserError;
import xmrun.executor.Cluster;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A work unit's output files, read where they are (this machine or the cluster), once or followed like tail -f. */
public final class LogFollower {
    static final long TICK_MS = 250;
    /** The files are read four times a second, the scheduler asked every 2 s: a status call is dearer than a read. */
    static final int STATUS_EVERY_TICKS = 8;

    private final StatusService status;
    private final Patience patience;

    /** @param patience how long a following waits out a scheduler or connection that stopped answering */
    public LogFollower(StatusService status, Patience patience) {
        this.status = status;
        this.patience = patience;
    }

    /** Output as it comes, in order: to {@code out} (stdout) and {@code err} (stderr). */
    public record Sinks(Consumer<byte[]> out, Consumer<byte[]> err) {
    }

    /**
     * Which output of a unit: the program's stdout and stderr of one attempt, or what the scheduler itself
     * wrote for that attempt's task (where Slurm says "DUE TO TIME LIMIT").
     *
     * @param attempt 1, 2, ...; 0 for the latest
     */
    public record Which(int attempt, boolean scheduler) {
        public static final Which LATEST = new Which(0, false);
    }

    /** The files as they are now; a file not written yet is empty. */
    public void copy(ExperimentRecord exp, WorkUnitRecord u, Which which, Sinks sinks) {
        Placement at = status.placement(exp, u.job()); // read on the cluster the unit ran on
        List<String> files = files(at.experiment(), u, which);
        copy(at, files.get(0), 0, sinks.out());
        if (files.size() > 1) {
            copy(at, files.get(1), 0, sinks.err());
        }
    }

    /** Like tail -f; returns once the unit is final and the files are drained. */
    public void follow(ExperimentRecord exp, WorkUnitRecord u, Which which, Sinks sinks) throws InterruptedException {
        Placement at = status.placement(exp, u.job());
        List<String> files = files(at.experiment(), u, which);
        long outPos = 0;
        long errPos = 0;
        for (int tick = 0; ; tick++) {
            boolean done = tick % STATUS_EVERY_TICKS == 0 && patience.call(() -> status.refresh(exp)).stream()
                    .filter(r -> r.id() == u.id()).allMatch(r -> r.state().isFinal());
            long out = outPos; // each file on its own: a read that failed has moved nothing, and is read again
            outPos = patience.call(() -> copy(at, files.get(0), out, sinks.out()));
            if (files.size() > 1) {
                long err = errPos;
                errPos = patience.call(() -> copy(at, files.get(1), err, sinks.err()));
            }
            if (done) {
                return;
            }
            Thread.sleep(TICK_MS);
        }
    }

    /**
     * One output file of the latest attempt from byte {@code from} on, as it is now; for a reader that keeps its own
     * offsets between calls (the dashboard's browser asks again with the offset it has reached).
     */
    public byte[] read(ExperimentRecord exp, WorkUnitRecord u, Cluster.Output output, long from) {
        Placement at = status.placement(exp, u.job());
        List<String> files = files(at.experiment(), u, Which.LATEST);
        return status.cluster(at).transport().read(files.get(output == Cluster.Output.STDOUT ? 0 : 1), from);
    }

    /** @param exp the experiment as the unit's cluster sees it (its work dir there) */
    private List<String> files(ExperimentRecord exp, WorkUnitRecord u, Which which) {
        int attempt = which.attempt() == 0 ? u.attempt() : which.attempt();
        if (attempt < 1 || attempt > u.attempt()) {
            throw new UserError("work unit " + u.id() + " has " + (u.attempt() == 1 ? "1 attempt" : u.attempt() + " attempts")
                    + "; there is no attempt " + attempt);
        }
        if (!which.scheduler()) {
            return List.of(Cluster.unitOutput(exp, u, Cluster.Output.STDOUT, attempt), Cluster.unitOutput(exp, u, Cluster.Output.STDERR, attempt));
        }
        String schedulerId = attempt == u.attempt() ? u.schedulerId() : earlier(exp, u, attempt);
        if (schedulerId == null) {
            throw new UserError("work unit " + u.id() + " was never submitted; the scheduler wrote nothing for it");
        }
        return List.of(status.cluster(status.placement(exp, u.job())).schedulerOutput(exp, u.job(), schedulerId));
    }

    private String earlier(ExperimentRecord exp, WorkUnitRecord u, int attempt) {
        ExperimentStore store = status.store();
        Map<Integer, List<ExperimentStore.AttemptRecord>> all = store.earlierAttempts(exp.id());
        return all.getOrDefault(u.id(), List.of()).stream().filter(a -> a.attempt() == attempt).findFirst()
                .map(ExperimentStore.AttemptRecord::schedulerId).orElse(null);
    }

    /** Copies the file from {@code from} to its end; returns the new position. */
    private long copy(Placement at, String file, long from, Consumer<byte[]> to) {
        byte[] bytes = status.cluster(at).transport().read(file, from);
        if (bytes.length > 0) {
            to.accept(bytes);
        }
        return from + bytes.length;
    }
}
