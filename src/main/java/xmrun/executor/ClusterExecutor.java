package xmrun.executor;

import xmrun.Failure;
import xmrun.model.Dependency;
import xmrun.model.Job;
import xmrun.model.SchedulerOptions;
import xmrun.plan.Plan;
import xmrun.plan.WorkUnit;
import xmrun.render.ScriptRenderer;
import xmrun.render.ShellQuote;
import xmrun.scheduler.ArraySubmission;
import xmrun.scheduler.JobDirectives;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.state.UnitStatus;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.ExecResult;
import xmrun.transport.Transport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs work units on a batch scheduler: each job becomes one script submitted as one array (several
 * when it is larger than the scheduler allows); status and cancel are a constant number of
 * scheduler calls for the whole experiment. The scheduler adapter decides the words, the transport
 * runs them.
 */
public final class ClusterExecutor implements Executor {
    private final Scheduler scheduler;
    private final Transport transport;

    public ClusterExecutor(Scheduler scheduler, Transport transport) {
        this.scheduler = scheduler;
        this.transport = transport;
    }

    /** Scheduler job names carry the experiment id, so one experiment's jobs can be found by name. */
    public static String jobName(long experimentId, String job) {
        return "xm" + experimentId + "-" + job;
    }

    @Override
    public List<ScriptFile> render(Plan plan, long experimentId, Path workDir, ScriptRenderer renderer) {
        List<ScriptFile> files = new ArrayList<>();
        for (Job job : plan.jobsInSubmitOrder()) {
            SchedulerOptions o = job.scheduler();
            JobDirectives directives = new JobDirectives(jobName(experimentId, job.name()), job.resources(), o.partition(),
                    o.queue(), o.account(), o.qos(), workDir.resolve("sched").toString(), workDir.toString(), o.options());
            ScriptContext.Shape shape = new ScriptContext.Shape(scheduler.taskIdVariable(), scheduler.firstTaskId(),
                    scheduler.directives(directives), launchPrefix(o));
            files.add(new ScriptFile(scriptOf(plan, job), renderer.render(scheduler.template(), ScriptContext.forJob(plan,
                    experimentId, job, workDir, shape)), true));
        }
        files.add(new ScriptFile("sched/.keep", "", false)); // the scheduler's own output goes here; it must exist
        return files;
    }

    private String launchPrefix(SchedulerOptions o) {
        List<String> words = new ArrayList<>();
        if (o.srun() != null && scheduler.name().equals("slurm")) {
            words.add("srun");
            words.addAll(o.srun());
        }
        words.addAll(o.launchPrefix());
        return words.isEmpty() ? "" : ShellQuote.join(words) + " ";
    }

    private static String scriptOf(Plan plan, Job job) {
        return "jobs/" + job.name() + ".sh";
    }

    @Override
    public String scriptOf(Plan plan, int workUnitId) {
        return scriptOf(plan, plan.jobOf(workUnitId));
    }

    /**
     * Submits job by job, dependencies first. If the scheduler refuses one array, the arrays already
     * accepted are cancelled before the failure is reported: a launch is all or nothing.
     */
    @Override
    public Map<Integer, String> submit(Plan plan, ExperimentRecord experiment) {
        int maxArray = scheduler.maxArraySize(transport.run(scheduler.limitsCommand()));
        Map<String, List<String>> jobIds = new HashMap<>();
        Map<Integer, String> taskIds = new LinkedHashMap<>();
        Path workDir = Path.of(experiment.workDir());
        try {
            for (Job job : plan.jobsInSubmitOrder()) {
                jobIds.put(job.name(), submitJob(plan, job, experiment, workDir, maxArray, jobIds, taskIds));
            }
        } catch (RuntimeException e) {
            List<String> submitted = jobIds.values().stream().flatMap(List::stream).toList();
            scheduler.cancelCommands(submitted, List.of()).forEach(transport::run);
            throw e;
        }
        return taskIds;
    }

    private List<String> submitJob(Plan plan, Job job, ExperimentRecord experiment, Path workDir, int maxArray,
                                   Map<String, List<String>> jobIds, Map<Integer, String> taskIds) {
        List<ArraySubmission.After> after = new ArrayList<>();
        for (Dependency d : job.after()) {
            after.add(new ArraySubmission.After(d.when(), jobIds.get(d.job())));
        }
        Integer cap = job.scheduler().maxArraySize();
        int chunk = cap == null ? maxArray : Math.min(cap, maxArray);
        List<WorkUnit> units = plan.workUnits(job);
        List<String> ids = new ArrayList<>();
        String script = workDir.resolve(scriptOf(plan, job)).toString();
        for (int offset = 0; offset < units.size(); offset += chunk) {
            int count = Math.min(chunk, units.size() - offset);
            int first = scheduler.firstTaskId();
            ArraySubmission s = new ArraySubmission(script, jobName(experiment.id(), job.name()), offset, first,
                    first + count - 1, job.scheduler().maxParallel(), after);
            String id = scheduler.parseSubmit(transport.run(scheduler.submitCommand(s)));
            ids.add(id);
            for (int i = 0; i < count; i++) {
                taskIds.put(units.get(offset + i).id(), scheduler.formatTask(new TaskKey(id, first + i)));
            }
        }
        return ids;
    }

    @Override
    public Map<Integer, UnitStatus> status(ExperimentRecord experiment, List<WorkUnitRecord> units) {
        Set<String> jobIds = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        Map<TaskKey, UnitStatus> lastSeen = new HashMap<>();
        for (WorkUnitRecord u : units) {
            TaskKey task = scheduler.parseTask(u.schedulerId());
            jobIds.add(task.jobId());
            names.add(jobName(experiment.id(), u.job()));
            lastSeen.put(task, new UnitStatus(u.state(), u.exitCode(), u.startedAt(), u.endedAt()));
        }
        List<ExecResult> results = new ArrayList<>();
        for (List<String> command : scheduler.statusCommands(List.copyOf(jobIds), List.copyOf(names))) {
            results.add(transport.run(command));
        }
        Map<TaskKey, UnitStatus> byTask = scheduler.parseStatus(List.copyOf(jobIds), results, lastSeen);
        Map<Integer, UnitStatus> out = new LinkedHashMap<>();
        for (WorkUnitRecord u : units) {
            UnitStatus s = byTask.get(scheduler.parseTask(u.schedulerId()));
            if (s != null) {
                out.put(u.id(), s);
            }
        }
        return out;
    }

    /** One unit: that task alone. Several: their whole jobs, in one call where the scheduler allows. */
    @Override
    public void cancel(ExperimentRecord experiment, List<WorkUnitRecord> units) {
        List<TaskKey> tasks = units.stream().filter(u -> u.schedulerId() != null).map(u -> scheduler.parseTask(u.schedulerId())).toList();
        List<List<String>> commands = tasks.size() == 1 ? scheduler.cancelCommands(List.of(), tasks)
                : scheduler.cancelCommands(tasks.stream().map(TaskKey::jobId).distinct().toList(), List.of());
        for (List<String> command : commands) {
            ExecResult r = transport.run(command);
            if (!scheduler.cancelled(r)) {
                throw new Failure(command.get(0) + " failed: " + (r.stderr().strip() + " " + r.stdout().strip()).strip());
            }
        }
    }

    @Override
    public Path stdout(ExperimentRecord experiment, WorkUnitRecord unit) {
        return Path.of(experiment.workDir(), "wu", Integer.toString(unit.id()), "stdout");
    }

    @Override
    public Path stderr(ExperimentRecord experiment, WorkUnitRecord unit) {
        return Path.of(experiment.workDir(), "wu", Integer.toString(unit.id()), "stderr");
    }
}
