package xmrun.ui;

import xmrun.store.WorkUnitRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * The work units' states as the dashboard shows them: one refresher per experiment someone is looking at,
 * asking its clusters once per interval and keeping the answer, so that ten open tabs cost one scheduler
 * call per cluster per interval, not ten. A refresher nobody asked for within {@code idle} stops.
 *
 * <p>All work that touches a cluster or writes the store (refreshes, log reads, cancels) runs on one thread:
 * the store's connection and the clusters' connections are each used by one thread at a time.
 */
final class Refreshers implements AutoCloseable {
    /** The states as of {@code at} (null: as the store last knew them, not refreshed yet); {@code error}: why the last refresh failed. */
    record Snapshot(List<WorkUnitRecord> units, Instant at, String error) {
    }

    private final LongFunction<List<WorkUnitRecord>> refresh;
    private final LongFunction<List<WorkUnitRecord>> lastKnown;
    private final Duration interval;
    private final Duration idle;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "xmrun-ui-worker");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, Refresher> running = new ConcurrentHashMap<>();

    /**
     * @param refresh   asks the clusters (on the worker thread) and returns the states
     * @param lastKnown the states the store holds, for the first answer before any refresh has ended
     */
    Refreshers(LongFunction<List<WorkUnitRecord>> refresh, LongFunction<List<WorkUnitRecord>> lastKnown, Duration interval, Duration idle) {
        this.refresh = refresh;
        this.lastKnown = lastKnown;
        this.interval = interval;
        this.idle = idle;
    }

    /** The latest states of an experiment's units; starts its refresher if none runs. */
    Snapshot latest(long experiment) {
        Refresher r = running.computeIfAbsent(experiment, this::start);
        r.lastAsked = System.nanoTime();
        Snapshot s = r.snapshot;
        return s != null ? s : new Snapshot(lastKnown.apply(experiment), null, null);
    }

    /** Asks for a refresh of this experiment now (after a cancel), and waits for it. */
    Snapshot refreshNow(long experiment) throws InterruptedException {
        Refresher r = running.computeIfAbsent(experiment, this::start);
        call(() -> {
            r.tick();
            return null;
        });
        return r.snapshot;
    }

    /** Runs work on the worker thread, between refreshes, and waits for its answer. */
    <T> T call(Callable<T> work) throws InterruptedException {
        try {
            return worker.submit(work).get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new xmrun.Failure("the cluster did not answer within 5 minutes");
        }
    }

    private Refresher start(long experiment) {
        Refresher r = new Refresher(experiment);
        r.lastAsked = System.nanoTime();
        r.future = worker.scheduleWithFixedDelay(r::tickUnlessIdle, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    private final class Refresher {
        final long experiment;
        volatile long lastAsked;
        volatile Snapshot snapshot;
        ScheduledFuture<?> future;

        Refresher(long experiment) {
            this.experiment = experiment;
        }

        void tickUnlessIdle() {
            if (System.nanoTime() - lastAsked > idle.toNanos()) {
                running.remove(experiment, this);
                future.cancel(false);
                return;
            }
            tick();
        }

        void tick() {
            try {
                snapshot = new Snapshot(refresh.apply(experiment), Instant.now(), null);
            } catch (RuntimeException e) { // shown on the page; the next interval tries again
                Snapshot before = snapshot;
                snapshot = new Snapshot(before != null ? before.units() : lastKnown.apply(experiment),
                        before != null ? before.at() : null, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
