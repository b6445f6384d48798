package xmrun.executor;

import xmrun.model.Dependency;
import xmrun.model.Group;
import xmrun.model.Job;
import xmrun.model.Resources;
import xmrun.model.ScriptError;
import xmrun.plan.Plan;
import xmrun.render.JobScripts;
import xmrun.scheduler.ArraySubmission;
import xmrun.scheduler.Limits;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.store.ExperimentRecord;
import xmrun.store.TaskRun;
import xmrun.transport.ConnectionLost;
import xmrun.transport.ExecResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Hands an experiment's rendered scripts to the scheduler: job by job, dependencies first, one array
 * per chunk of at most the cluster's array size, a job group once per sweep point ({@link GroupSubmitter}).
 * Each accepted array is reported at once, so the store never misses a submission. A launch is all or nothing: if the scheduler refuses an array, the arrays
 * this call submitted are cancelled before the failure is reported. If the connection drops, nothing
 * can be cancelled; what was accepted has been reported, and a resume adopts the array in flight
 * ({@link #findSubmitted}) and submits the rest.
 */
public final class Submitter {
    private final Cluster cluster;
    private final Scheduler scheduler;
    private final Secrets secrets;

    public Submitter(Cluster cluster) {
        this(cluster, Secrets.ofProcess());
    }

    /** @param secrets where the values of the jobs' secrets come from (checked to be there before a launch starts) */
    public Submitter(Cluster cluster, Secrets secrets) {
        this.cluster = cluster;
        this.scheduler = cluster.scheduler();
        this.secrets = secrets;
    }

    /** Runs a submit command with the secrets' values in its environment, the job told to take them from there. */
    static xmrun.transport.ExecResult submit(Cluster cluster, List<String> command, List<String> secretNames, Secrets secrets) {
        return cluster.transport().run(cluster.scheduler().exporting(command, secretNames), secrets.values(secretNames));
    }

    /**
     * @param known     work units already submitted (by an earlier, interrupted launch): not submitted again
     * @param submitted told the scheduler ids of each batch of work units as soon as the scheduler accepted it
     * @throws ConnectionLost when the connection dropped: what was accepted stays submitted
     */
    public void submit(Plan plan, ExperimentRecord experiment, Map<Integer, String> known, Consumer<Map<Integer, String>> submitted) {
        Limits limits = scheduler.limits(cluster.transport().run(scheduler.limitsCommand()));
        checkFits(plan, limits);
        Map<String, List<String>> jobIds = new HashMap<>();
        List<String> submittedNow = new ArrayList<>();
        try {
            for (Job job : plan.jobsInSubmitOrder()) {
                Group group = plan.groupOf(job);
                if (group == null) {
                    jobIds.put(job.name(), submitJob(plan, job, experiment, chunkSize(job, limits), jobIds, known, submittedNow,
                            submitted));
                } else if (!jobIds.containsKey(job.name())) { // the whole group goes out at its first member
                    List<String> ids = new GroupSubmitter(cluster, secrets).submit(plan, group, experiment, after(job, jobIds), known, submittedNow,
                            submitted);
                    group.members().forEach(m -> jobIds.put(m, ids));
                }
            }
        } catch (ConnectionLost e) {
            throw e;
        } catch (RuntimeException e) {
            String undone = rollBack(submittedNow);
            if (e instanceof xmrun.Failure f && !submittedNow.isEmpty()) {
                throw new xmrun.Failure(f.getMessage() + " " + undone, f.kind(), f);
            }
            throw e;
        }
    }

    /** Throws a {@link ScriptError} naming the launcher's line when a job or group asks for more than {@code limits} allow. */
    public static void checkFits(Plan plan, Limits limits) {
        plan.jobsInSubmitOrder().forEach(job -> checkFits(job, limits));
        plan.groups().forEach(group -> checkFits(plan, group, limits));
    }

    /** Cancels the arrays this call submitted; says what became of them. */
    private String rollBack(List<String> submittedNow) {
        if (submittedNow.isEmpty()) {
            return "";
        }
        List<String> commands = new ArrayList<>();
        boolean ok = true;
        for (List<String> cancel : scheduler.cancelCommands(submittedNow, List.of())) {
            commands.add(xmrun.render.ShellQuote.join(cancel));
            try {
                ok &= scheduler.cancelled(cluster.transport().run(cancel));
            } catch (xmrun.Failure f) {
                ok = false;
            }
        }
        int n = submittedNow.size();
        String arrays = n == 1 ? "the array accepted before it" : "the " + n + " arrays accepted before it";
        return ok ? "(" + arrays + (n == 1 ? " was" : " were") + " cancelled)"
                : "(cancelling " + arrays + " failed too: run " + String.join("; ", commands) + ")";
    }

    /** A request the scheduler told us it can never grant is the launcher's mistake, found before anything is submitted. */
    private static void checkFits(Job job, Limits limits) {
        Resources r = job.resources();
        int cpus = r.cpus() == null ? 1 : r.cpus() * r.taskCountPerNode();
        if (limits.cpus() != null && (r.cpus() != null || r.tasksPerNode() != null) && cpus > limits.cpus()) {
            throw new ScriptError(job.declaredAt(), "job '" + job.name() + "' asks for " + cpus + " cpus; this machine has "
                    + limits.cpus());
        }
        if (limits.gpus() != null && r.gpus() != null && r.gpus() > limits.gpus()) {
            throw new ScriptError(job.declaredAt(), "job '" + job.name() + "' asks for " + r.gpus() + " gpus; this machine has "
                    + limits.gpus() + (limits.gpus() == 0 ? " (no CUDA_VISIBLE_DEVICES, no nvidia-smi)" : ""));
        }
    }

    /** Where the limits are one machine's, a group's members take their CPUs and GPUs there together. */
    private static void checkFits(Plan plan, Group group, Limits limits) {
        int cpus = 0;
        int gpus = 0;
        for (Job m : plan.members(group)) {
            Resources r = m.resources();
            cpus += (r.cpus() == null ? 1 : r.cpus()) * r.taskCountPerNode();
            gpus += r.gpus() == null ? 0 : r.gpus();
        }
        if (limits.cpus() != null && cpus > limits.cpus()) {
            throw new ScriptError(group.declaredAt(), "group '" + group.name() + "' asks for " + cpus + " cpus for its members together; "
                    + "this machine has " + limits.cpus());
        }
        if (limits.gpus() != null && gpus > limits.gpus()) {
            throw new ScriptError(group.declaredAt(), "group '" + group.name() + "' asks for " + gpus + " gpus for its members together; "
                    + "this machine has " + limits.gpus());
        }
    }

    private static int chunkSize(Job job, Limits limits) {
        Integer cap = job.scheduler().maxArraySize();
        return cap == null ? limits.maxArraySize() : Math.min(cap, limits.maxArraySize());
    }

    /**
     * A job that waits for one whose units may be retried is submitted held, without the scheduler's own
     * dependency: Slurm would cancel it (afterok) the moment a first attempt failed. xmrun releases or
     * cancels it once those jobs have ended for good (StatusService), retries included.
     */
    public static boolean heldForRetries(Plan plan, Job job) {
        return job.after().stream().anyMatch(d -> plan.experiment().job(d.job()).retry() != null);
    }

    /**
     * The arrays of one job wait for none of each other, so up to this many of their submissions run at once: a
     * 100,000-unit sweep is 100 arrays where MaxArraySize is 1001, and each sbatch mostly waits for slurmctld.
     */
    public static final int SUBMITS_AT_ONCE = 4;

    private static final java.util.concurrent.ExecutorService SUBMITTING = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "xmrun-submit");
        t.setDaemon(true);
        return t;
    });

    /** One chunk of a job's units: its array's id, on its way from the scheduler (or known from an earlier launch). */
    private record Chunk(int firstUnit, int count, Future<String> id, boolean known) {
    }

    private List<String> submitJob(Plan plan, Job job, ExperimentRecord experiment, int chunk, Map<String, List<String>> jobIds,
                                   Map<Integer, String> known, List<String> submittedNow, Consumer<Map<Integer, String>> submitted) {
        boolean held = heldForRetries(plan, job);
        List<ArraySubmission.After> after = held ? List.of() : after(job, jobIds);
        int units = Math.toIntExact(job.workUnitCount());
        int firstId = plan.firstWorkUnitId(job.name());
        Set<String> ids = new LinkedHashSet<>();
        String script = script(experiment, job);
        int first = scheduler.firstTaskId();
        // recorded in order, as each comes back; once one fails, none more is sent and those under way are still recorded
        Deque<Chunk> underWay = new ArrayDeque<>();
        RuntimeException failed = null;
        for (int offset = 0; offset < units && failed == null; offset += chunk) {
            String earlier = known.get(firstId + offset);
            if (earlier != null) { // a chunk goes out in one submission: its first unit tells for all
                underWay.add(new Chunk(firstId + offset, 0, CompletableFuture.completedFuture(scheduler.parseTask(earlier).jobId()), true));
                continue;
            }
            int count = Math.min(chunk, units - offset);
            ArraySubmission s = new ArraySubmission(script, Cluster.jobName(experiment.id(), job.name()), offset, first,
                    first + count - 1, job.scheduler().maxParallel(), after, null, held);
            List<String> command = scheduler.submitCommand(s);
            underWay.add(new Chunk(firstId + offset, count,
                    SUBMITTING.submit(() -> scheduler.parseSubmit(submit(cluster, command, job.secretNames(), secrets))), false));
            while (underWay.size() >= SUBMITS_AT_ONCE && failed == null) {
                failed = record(underWay.poll(), first, ids, submittedNow, submitted);
            }
        }
        while (!underWay.isEmpty()) {
            RuntimeException e = record(underWay.poll(), first, ids, submittedNow, submitted);
            failed = failed == null ? e : failed;
        }
        if (failed != null) {
            throw failed;
        }
        return List.copyOf(ids);
    }

    /** Waits for a chunk's array id and reports it; what went wrong instead, to be thrown once the rest is recorded. */
    private RuntimeException record(Chunk c, int firstTask, Set<String> ids, List<String> submittedNow,
                                    Consumer<Map<Integer, String>> submitted) {
        String id;
        try {
            id = c.id().get();
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof RuntimeException r ? r : new xmrun.Failure("submitting failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new xmrun.Failure("interrupted while submitting", e);
        }
        ids.add(id);
        if (!c.known()) {
            submittedNow.add(id);
            submitted.accept(new TaskRun(c.firstUnit(), c.count(), id + scheduler.taskSeparator(), firstTask));
        }
        return null;
    }

    /** What the job waits for, as scheduler ids; the members of a group share theirs, so each id is named once. */
    private static List<ArraySubmission.After> after(Job job, Map<String, List<String>> jobIds) {
        Map<Dependency.When, Set<String>> byWhen = new LinkedHashMap<>();
        for (Dependency d : job.after()) {
            byWhen.computeIfAbsent(d.when(), w -> new LinkedHashSet<>()).addAll(jobIds.get(d.job()));
        }
        List<ArraySubmission.After> after = new ArrayList<>();
        byWhen.forEach((when, ids) -> after.add(new ArraySubmission.After(when, List.copyOf(ids))));
        return after;
    }

    private static String script(ExperimentRecord experiment, Job job) {
        return JobScripts.scriptIn(experiment.workDir(), job);
    }

    /**
     * Work units of an interrupted launch that the scheduler has although the store does not know it (the
     * submission in flight when the connection dropped), matched to chunks by the offset each array carries.
     */
    public Map<Integer, String> findSubmitted(Plan plan, ExperimentRecord experiment) {
        List<String> names = plan.jobsInSubmitOrder().stream().map(j -> Cluster.jobName(experiment.id(), j.name())).toList();
        List<ExecResult> results = scheduler.findArraysCommands(names).stream().map(cluster.transport()::run).toList();
        List<Scheduler.FoundArray> arrays = scheduler.parseFoundArrays(results);
        Map<Integer, String> found = new LinkedHashMap<>();
        plan.groups().forEach(g -> found.putAll(new GroupSubmitter(cluster, secrets).found(plan, g, experiment, arrays)));
        int first = scheduler.firstTaskId();
        for (Scheduler.FoundArray a : arrays) {
            // the script path holds the experiment's work dir: another store's experiment 1 is not ours
            Job job = plan.jobsInSubmitOrder().stream().filter(j -> j.group() == null && script(experiment, j).equals(a.script()))
                    .findFirst().orElse(null);
            if (job == null || a.offset() >= job.workUnitCount()) {
                continue;
            }
            int firstId = plan.firstWorkUnitId(job.name());
            for (int i = 0; i < a.taskCount() && a.offset() + i < job.workUnitCount(); i++) {
                found.put(firstId + a.offset() + i, scheduler.formatTask(new TaskKey(a.jobId(), first + i)));
            }
        }
        return found;
    }
}
