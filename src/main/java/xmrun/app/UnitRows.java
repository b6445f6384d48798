package xmrun.app;

import xmrun.model.Job;
import xmrun.plan.Plan;
import xmrun.plan.WorkUnit;
import xmrun.render.JobScripts;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's work units as store rows, built from its plan when they are stored. A launch stores a unit's row
 * when the scheduler has accepted it, as submitted, in one write: a row stored first and marked submitted later is
 * written twice (the second time, a 100,000-unit launch's longest step). Units a launch did not get to (its
 * connection dropped, or xmrun was killed) are stored unsubmitted afterwards, for {@code xmrun resume}.
 */
final class UnitRows {
    private final ExperimentRecord experiment;
    private final Plan plan;
    private final Map<String, String> scripts = new HashMap<>();

    UnitRows(ExperimentRecord experiment, Plan plan) {
        this.experiment = experiment;
        this.plan = plan;
    }

    /** The rows of units a scheduler has just accepted, with the ids it gave them. */
    List<WorkUnitRecord> submitted(Map<Integer, String> schedulerIds, Instant at) {
        List<WorkUnitRecord> rows = new ArrayList<>(schedulerIds.size());
        schedulerIds.forEach((id, schedulerId) -> rows.add(row(unit(id), schedulerId, WorkUnitState.SUBMITTED, at, null, null)));
        return rows;
    }

    /**
     * Stores every unit of the plan that has no row yet, in {@code state} (unsubmitted, or cancelled with a reason), a
     * batch at a time: memory stays flat whatever the sweep's size.
     *
     * @return how many rows were added
     */
    int storeMissing(ExperimentStore store, WorkUnitState state, String reason) {
        if (store.workUnitCount(experiment.id()) == plan.workUnitCount()) {
            return 0;
        }
        int added = 0;
        List<WorkUnitRecord> batch = new ArrayList<>(ExperimentStore.BATCH);
        Instant now = Instant.now();
        for (Job job : plan.experiment().jobs()) {
            for (WorkUnit u : plan.workUnits(job)) {
                batch.add(row(u, null, state, null, state == WorkUnitState.UNSUBMITTED ? null : now, reason));
                if (batch.size() == ExperimentStore.BATCH) {
                    added += store.addMissingWorkUnits(batch);
                    batch.clear();
                }
            }
        }
        return added + store.addMissingWorkUnits(batch);
    }

    private WorkUnit unit(int id) {
        Job job = plan.jobOf(id);
        return plan.workUnit(job, id - plan.firstWorkUnitId(job.name()));
    }

    private WorkUnitRecord row(WorkUnit u, String schedulerId, WorkUnitState state, Instant submittedAt, Instant endedAt,
                              String reason) {
        String script = scripts.computeIfAbsent(u.job(), job -> // one per job, not one per unit
                JobScripts.scriptIn(experiment.workDir(), plan.experiment().job(job)));
        return new WorkUnitRecord(experiment.id(), u.id(), u.job(), u.index(), u.argv(), u.env(), script, schedulerId, state,
                null, submittedAt, null, endedAt, reason, u.point(), 1);
    }
}
