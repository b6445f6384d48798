package xmrun.app;

import xmrun.UserError;
import xmrun.executor.Canceller;
import xmrun.executor.Cluster;
import xmrun.executor.ResultCollector;
import xmrun.executor.StatusReader;
import xmrun.state.UnitStatus;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Asks an experiment's executor where its work units are, and keeps the store up to date with the answer. */
public final class StatusService {
    private final ExperimentStore store;
    private final Function<String, Cluster> clusters;

    public StatusService(ExperimentStore store, Function<String, Cluster> clusters) {
        this.store = store;
        this.clusters = clusters;
    }

    public ExperimentStore store() {
        return store;
    }

    /** The cluster an experiment runs on, connected when first asked. */
    public Cluster cluster(ExperimentRecord exp) {
        return clusters.apply(exp.cluster());
    }

    public ExperimentRecord find(String idOrNull) {
        if (idOrNull == null) {
            return store.experiments().stream().findFirst()
                    .orElseThrow(() -> new UserError("no experiments yet; launch one with: xmrun LAUNCHER.xm.groovy"));
        }
        long id;
        try {
            id = Long.parseLong(idOrNull);
        } catch (NumberFormatException e) {
            throw new UserError("experiment id must be a number, got '" + idOrNull + "'");
        }
        return store.experiment(id).orElseThrow(() -> new UserError("no experiment " + id + "; see: xmrun list"));
    }

    public WorkUnitRecord unit(ExperimentRecord exp, int id) {
        return store.workUnits(exp.id()).stream().filter(u -> u.id() == id).findFirst()
                .orElseThrow(() -> new UserError("experiment " + exp.id() + " has no work unit " + id));
    }

    /**
     * Current state of every unit; units already final are not asked about again. What units that ended
     * reported (XM_RESULT lines, result.json) is read in the same refresh, once per attempt.
     */
    public List<WorkUnitRecord> refresh(ExperimentRecord exp) {
        List<WorkUnitRecord> units = refreshStates(exp);
        collectResults(exp);
        return units;
    }

    private void collectResults(ExperimentRecord exp) {
        Map<Integer, Integer> attempts = store.resultsToCollect(exp.id());
        if (!attempts.isEmpty()) {
            store.recordResults(exp.id(), attempts, new ResultCollector(cluster(exp)).collect(exp.workDir(), attempts));
        }
    }

    private List<WorkUnitRecord> refreshStates(ExperimentRecord exp) {
        List<WorkUnitRecord> units = store.workUnits(exp.id());
        List<WorkUnitRecord> open = units.stream().filter(u -> !u.state().isSettled()).toList();
        if (open.isEmpty()) {
            return units;
        }
        Map<Integer, UnitStatus> seen = new StatusReader(cluster(exp)).status(exp, open);
        List<WorkUnitRecord> changed = new ArrayList<>();
        List<WorkUnitRecord> result = new ArrayList<>(units.size());
        for (WorkUnitRecord u : units) {
            UnitStatus s = seen.get(u.id());
            WorkUnitRecord now = s == null ? u : u.withStatus(s.state(), s.exitCode(), s.startedAt(), s.endedAt(), s.reason());
            if (!now.equals(u)) {
                changed.add(now);
            }
            result.add(now);
        }
        if (!changed.isEmpty()) {
            store.updateStatus(changed);
        }
        return result;
    }

    /** Cancels the units that have not ended and waits (up to {@code patience}) until they show as final. */
    public List<WorkUnitRecord> cancel(ExperimentRecord exp, List<WorkUnitRecord> units, java.time.Duration patience)
            throws InterruptedException {
        List<WorkUnitRecord> open = units.stream().filter(u -> !u.state().isSettled()).toList();
        List<WorkUnitRecord> unsubmitted = units.stream().filter(u -> u.state() == WorkUnitState.UNSUBMITTED).toList();
        if (!unsubmitted.isEmpty()) { // never reached a scheduler: cancelled here, a resume will not submit them
            store.updateStatus(unsubmitted.stream().map(u -> u.withStatus(WorkUnitState.CANCELLED, null, null, java.time.Instant.now(), "cancelled before it was submitted")).toList());
        }
        if (!open.isEmpty()) {
            new Canceller(cluster(exp)).cancel(exp, open);
        }
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        open.forEach(u -> ids.add(u.id()));
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<WorkUnitRecord> now = refresh(exp);
            boolean settled = now.stream().filter(u -> ids.contains(u.id())).allMatch(u -> u.state().isFinal());
            if (settled || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(100);
        }
    }
}
