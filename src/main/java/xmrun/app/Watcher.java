package xmrun.app;

import xmrun.executor.EndWatch;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;

import java.util.List;
import java.util.function.Consumer;

/**
 * Polls an experiment until every work unit is final. Polite: the scheduler is asked at 0.2 s (local
 * units often end in milliseconds), then less and less often, up to every 10 s; each time is one status
 * call for the whole experiment. In between, every {@link #END_CHECK_MS} one cheap command looks for units
 * that ended (their exit_code files), and the scheduler is asked at once when one did: an end is seen
 * within about a second, without asking the scheduler more. A scheduler or connection that stops answering for
 * a while (a controller restart, a dropped link) is waited out ({@link Patience}); the look for ended units is
 * skipped meanwhile.
 */
public final class Watcher {
    static final long FIRST_DELAY_MS = 200;
    static final long MAX_DELAY_MS = 10_000;
    static final long END_CHECK_MS = 500;

    private final StatusService status;
    private final Patience patience;

    public Watcher(StatusService status, Patience patience) {
        this.status = status;
        this.patience = patience;
    }

    public static boolean allSucceeded(List<WorkUnitRecord> units) {
        return units.stream().allMatch(u -> u.state() == WorkUnitState.SUCCEEDED);
    }

    /** Calls {@code onChange} with each new picture (if not null) until all units are final; returns the last. */
    public List<WorkUnitRecord> pollUntilFinal(ExperimentRecord exp, Consumer<List<WorkUnitRecord>> onChange)
            throws InterruptedException {
        long delay = FIRST_DELAY_MS;
        List<WorkUnitRecord> last = null;
        Ends ends = new Ends(status, exp);
        int eager = 0; // polls left at the first delay after an end was seen: the scheduler may lag behind the file
        try {
            while (true) {
                anyEnded(ends); // marks now: what ends from here on is news
                List<WorkUnitRecord> units = patience.call(() -> status.refresh(exp));
                if (onChange != null && !units.equals(last)) {
                    onChange.accept(units);
                }
                if (units.stream().allMatch(u -> u.state().isSettled())) {
                    return units;
                }
                if (!units.equals(last)) {
                    delay = FIRST_DELAY_MS;
                    eager = 0;
                } else if (eager > 0) {
                    delay = FIRST_DELAY_MS;
                    eager--;
                } else {
                    delay = Math.min(MAX_DELAY_MS, delay * 3 / 2);
                }
                last = units;
                if (waitForNews(ends, delay)) {
                    eager = EAGER_POLLS;
                }
            }
        } finally {
            try {
                ends.close();
            } catch (xmrun.Failure ignored) {
                // a connection that is gone leaves one small marker file behind; what failed before matters more
            }
        }
    }

    private static boolean anyEnded(Ends ends) {
        return ends.anyEnded();
    }

    static final int EAGER_POLLS = 15;

    /** One {@link EndWatch} per cluster the experiment runs on: a unit ended when one of them saw it. */
    private static final class Ends {
        private final List<EndWatch> watches = new java.util.ArrayList<>();

        Ends(StatusService status, ExperimentRecord exp) {
            status.placements(exp).forEach(p -> watches.add(new EndWatch(status.cluster(p), p.experiment())));
        }

        boolean anyEnded() {
            boolean any = false;
            for (EndWatch w : watches) {
                any |= anyEnded(w); // each call also moves its mark on, so every watch is asked
            }
            return any;
        }

        /** A look that fails is no news: the refresh after it tells, and waits out what keeps failing. */
        private static boolean anyEnded(EndWatch w) {
            try {
                return w.anyEnded();
            } catch (xmrun.Failure f) {
                if (!f.passing()) {
                    throw f;
                }
                return false;
            }
        }

        void close() {
            xmrun.Failure first = null;
            for (EndWatch w : watches) {
                try {
                    w.close();
                } catch (xmrun.Failure f) {
                    first = first == null ? f : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /**
     * Sleeps up to {@code delay}, looking for ended units every END_CHECK_MS once the delay is longer than that;
     * true when one ended.
     */
    private static boolean waitForNews(Ends ends, long delay) throws InterruptedException {
        long deadline = System.nanoTime() + delay * 1_000_000;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.min(left, END_CHECK_MS));
            if (delay > END_CHECK_MS && anyEnded(ends)) {
                return true;
            }
        }
    }
}
