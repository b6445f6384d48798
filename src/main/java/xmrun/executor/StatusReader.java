package xmrun.executor;

import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.state.UnitStatus;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.ExecResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Asks the scheduler where an experiment's work units are: a constant number of calls however many there are. */
public final class StatusReader {
    private final Cluster cluster;
    private final Scheduler scheduler;

    public StatusReader(Cluster cluster) {
        this.cluster = cluster;
        this.scheduler = cluster.scheduler();
    }

    /** What the scheduler says of each of {@code units}; a unit it does not mention is left out. */
    public Map<Integer, UnitStatus> status(ExperimentRecord experiment, List<WorkUnitRecord> units) {
        Set<String> jobIds = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        Map<TaskKey, UnitStatus> lastSeen = new HashMap<>();
        for (WorkUnitRecord u : units) {
            TaskKey task = scheduler.parseTask(u.schedulerId());
            jobIds.add(task.jobId());
            names.add(Cluster.jobName(experiment.id(), u.job()));
            lastSeen.put(task, new UnitStatus(u.state(), u.exitCode(), u.startedAt(), u.endedAt(), u.reason()));
        }
        List<ExecResult> results = new ArrayList<>();
        for (List<String> command : scheduler.statusCommands(List.copyOf(jobIds), List.copyOf(names))) {
            results.add(cluster.transport().run(command));
        }
        for (List<String> command : scheduler.statusFollowUpCommands(List.copyOf(jobIds), List.copyOf(results), lastSeen)) {
            results.add(cluster.transport().run(command));
        }
        Map<TaskKey, UnitStatus> byTask = scheduler.parseStatus(List.copyOf(jobIds), results, lastSeen);
        Map<Integer, UnitStatus> out = new LinkedHashMap<>();
        for (WorkUnitRecord u : units) {
            UnitStatus s = byTask.get(scheduler.parseTask(u.schedulerId()));
            if (s != null) {
                out.put(u.id(), s);
            }
        }
        MemberOutcomes.apply(cluster, experiment, units, out);
        return out;
    }
}
