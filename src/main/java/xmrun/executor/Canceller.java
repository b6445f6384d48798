package xmrun.executor;

import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.ExecResult;

import java.util.List;

/** Stops submitted work units: one unit alone, or several as their whole jobs, in as few calls as the scheduler allows. */
public final class Canceller {
    private final Cluster cluster;
    private final Scheduler scheduler;

    public Canceller(Cluster cluster) {
        this.cluster = cluster;
        this.scheduler = cluster.scheduler();
    }

    public void cancel(ExperimentRecord experiment, List<WorkUnitRecord> units) {
        List<TaskKey> tasks = units.stream().filter(u -> u.schedulerId() != null).map(u -> scheduler.parseTask(u.schedulerId())).toList();
        List<List<String>> commands = tasks.size() == 1 ? scheduler.cancelCommands(List.of(), tasks)
                : scheduler.cancelCommands(tasks.stream().map(TaskKey::jobId).distinct().toList(), List.of());
        for (List<String> command : commands) {
            ExecResult r = cluster.transport().run(command);
            if (!scheduler.cancelled(r)) {
                throw scheduler.failure(command.get(0) + " failed", r);
            }
        }
    }
}
