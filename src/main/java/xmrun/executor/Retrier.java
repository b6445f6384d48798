package xmrun.executor;

import xmrun.render.JobScripts;
import xmrun.render.RetryList;
import xmrun.scheduler.ArraySubmission;
import xmrun.scheduler.Limits;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.Transport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Submits units of one job again, as arrays of just those units: the array's tasks read which unit
 * (sweep index) and which attempt each runs from a retry list beside the job's script, so the script
 * itself is the one first submitted, unchanged.
 */
public final class Retrier {
    private final Cluster cluster;
    private final Scheduler scheduler;
    private final Secrets secrets;
    private final List<String> secretNames;

    public Retrier(Cluster cluster) {
        this(cluster, Secrets.ofProcess(), List.of());
    }

    /** @param secretNames the job's secrets, whose values {@code secrets} has (the caller checked) */
    public Retrier(Cluster cluster, Secrets secrets, List<String> secretNames) {
        this.cluster = cluster;
        this.scheduler = cluster.scheduler();
        this.secrets = secrets;
        this.secretNames = List.copyOf(secretNames);
    }

    /**
     * @param units       the job's units, already claimed for their next attempt (their {@code attempt} is the new one)
     * @param maxParallel the job's own limit, or null
     * @param submitted   told the scheduler ids of each batch as soon as the scheduler has accepted it
     */
    public void resubmit(ExperimentRecord experiment, String job, List<WorkUnitRecord> units, Integer maxParallel,
                         Consumer<Map<Integer, String>> submitted) {
        resubmit(experiment, job, units, maxParallel, scheduler.limits(cluster.transport().run(scheduler.limitsCommand())), submitted);
    }

    /** The same, with the scheduler's limits already asked for. */
    public void resubmit(ExperimentRecord experiment, String job, List<WorkUnitRecord> units, Integer maxParallel, Limits limits,
                         Consumer<Map<Integer, String>> submitted) {
        String script = units.get(0).scriptPath();
        int first = scheduler.firstTaskId();
        for (int from = 0; from < units.size(); from += limits.maxArraySize()) {
            List<WorkUnitRecord> chunk = units.subList(from, Math.min(units.size(), from + limits.maxArraySize()));
            Map<Integer, Integer> attempts = new LinkedHashMap<>();
            chunk.forEach(u -> attempts.put(u.index(), u.attempt()));
            String list = experiment.workDir() + "/" + JobScripts.retryListOf(job, chunk.get(0).id(), chunk.get(0).attempt());
            cluster.transport().write(List.of(new Transport.FileContent(list, RetryList.of(attempts), false)));
            ArraySubmission s = new ArraySubmission(script, Cluster.jobName(experiment.id(), job), 0, first, first + chunk.size() - 1,
                    maxParallel, List.of(), list, false);
            String id = scheduler.parseSubmit(Submitter.submit(cluster, scheduler.submitCommand(s), secretNames, secrets));
            Map<Integer, String> tasks = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                tasks.put(chunk.get(i).id(), scheduler.formatTask(new TaskKey(id, first + i)));
            }
            submitted.accept(tasks);
        }
    }
}
