package xmrun.app;

import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;

import java.util.List;
import java.util.function.Consumer;

/**
 * Polls an experiment until every work unit is final. Polite: starts at 0.2 s (local units often end
 * in milliseconds) and backs off to 10 s, and each poll is one status call for the whole experiment.
 */
public final class Watcher {
    static final long FIRST_DELAY_MS = 200;
    static final long MAX_DELAY_MS = 10_000;

    private final StatusService status;

    public Watcher(StatusService status) {
        this.status = status;
    }

    public static boolean allSucceeded(List<WorkUnitRecord> units) {
        return units.stream().allMatch(u -> u.state() == WorkUnitState.SUCCEEDED);
    }

    /** Calls {@code onChange} with each new picture (if not null) until all units are final; returns the last. */
    public List<WorkUnitRecord> pollUntilFinal(ExperimentRecord exp, Consumer<List<WorkUnitRecord>> onChange)
            throws InterruptedException {
        long delay = FIRST_DELAY_MS;
        List<WorkUnitRecord> last = null;
        while (true) {
            List<WorkUnitRecord> units = status.refresh(exp);
            if (onChange != null && !units.equals(last)) {
                onChange.accept(units);
            }
            if (units.stream().allMatch(u -> u.state().isSettled())) {
                return units;
            }
            delay = units.equals(last) ? Math.min(MAX_DELAY_MS, delay * 3 / 2) : FIRST_DELAY_MS;
            last = units;
            Thread.sleep(delay);
        }
    }
}
