package xmrun.cli;

import xmrun.app.StatusService;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;

import java.io.PrintWriter;
import java.util.List;

/**
 * Polls an experiment until every work unit is final. Polite: starts at 0.2 s (local units often end
 * in milliseconds) and backs off to 10 s, and each poll is one status call for the whole experiment.
 */
final class Watcher {
    static final long FIRST_DELAY_MS = 200;
    static final long MAX_DELAY_MS = 10_000;

    private final StatusService status;
    private final PrintWriter out;

    Watcher(StatusService status, PrintWriter out) {
        this.status = status;
        this.out = out;
    }

    /** Returns whether every unit succeeded; prints the final table. */
    boolean waitUntilFinal(ExperimentRecord exp) throws InterruptedException {
        List<WorkUnitRecord> units = pollUntilFinal(exp, null);
        StatusTable.print(exp, units, out);
        return units.stream().allMatch(u -> u.state() == WorkUnitState.SUCCEEDED);
    }

    /** Calls {@code onChange} with each new picture until all units are final. */
    List<WorkUnitRecord> pollUntilFinal(ExperimentRecord exp, java.util.function.Consumer<List<WorkUnitRecord>> onChange)
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
