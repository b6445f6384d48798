package xmrun.executor;

import xmrun.Failure;
import xmrun.config.ClusterSpec;
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
import xmrun.stage.CodeTree;
import xmrun.stage.Stager;
import xmrun.state.UnitStatus;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.ConnectionLost;
import xmrun.transport.ExecResult;
import xmrun.transport.Transport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
    private final ClusterSpec spec;
    private String root;
    private CodeTree tree;

    /** This machine's scheduler, with nothing configured. */
    public ClusterExecutor(Scheduler scheduler, Transport transport) {
        this(scheduler, transport, null);
    }

    /** @param spec the cluster's config (workdir, defaults, setup), or null */
    public ClusterExecutor(Scheduler scheduler, Transport transport, ClusterSpec spec) {
        this.scheduler = scheduler;
        this.transport = transport;
        this.spec = spec;
    }

    private boolean remote() {
        return spec != null && spec.ssh() != null;
    }

    /** The cluster's workdir with ~ resolved (asking the cluster, once). */
    private String root() {
        if (root == null) {
            String w = spec.workdir();
            root = w.startsWith("~/") ? transport.home() + w.substring(1) : w;
        }
        return root;
    }

    @Override
    public Path experimentsDir(Path localDefault, String storeId) {
        return spec != null && spec.workdir() != null ? Path.of(root(), "experiments", storeId) : localDefault;
    }

    private CodeTree tree(Plan plan) {
        if (tree == null) {
            tree = CodeTree.scan(plan.experiment().codeDir(), plan.experiment().ignore());
        }
        return tree;
    }

    @Override
    public String codeDir(Plan plan) {
        return remote() ? Stager.codeDir(root(), tree(plan)) : plan.experiment().codeDir().toString();
    }

    @Override
    public Optional<Stager.Result> stage(Plan plan, xmrun.stage.Progress progress) {
        return remote() ? Optional.of(new Stager(transport).stage(tree(plan), root(), progress)) : Optional.empty();
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
            ClusterSpec.Placement d = spec == null ? ClusterSpec.Placement.NONE : spec.defaults();
            JobDirectives directives = new JobDirectives(jobName(experimentId, job.name()), job.resources(),
                    or(o.partition(), d.partition()), or(o.queue(), d.queue()), or(o.account(), d.account()), or(o.qos(), d.qos()),
                    workDir.resolve("sched").toString(), workDir.toString(), o.options());
            List<String> setup = new ArrayList<>(spec == null ? List.of() : spec.setup());
            setup.addAll(o.setup());
            ScriptContext.Shape shape = new ScriptContext.Shape(scheduler.taskIdVariable(), scheduler.firstTaskId(),
                    scheduler.directives(directives), launchPrefix(o), setup, codeDir(plan));
            files.add(new ScriptFile(scriptOf(plan, job), renderer.render(scheduler.template(), ScriptContext.forJob(plan,
                    experimentId, job, workDir, shape)), true));
        }
        files.add(new ScriptFile("sched/.keep", "", false)); // the scheduler's own output goes here; it must exist
        return files;
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
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
     * Submits job by job, dependencies first, one array per chunk of at most the cluster's array size.
     * If the scheduler refuses an array, the arrays this call submitted are cancelled before the
     * failure is reported: a launch is all or nothing. If the connection drops, nothing can be
     * cancelled; what was accepted has been reported and a resume submits the rest.
     */
    @Override
    public void submit(Plan plan, ExperimentRecord experiment, Map<Integer, String> known, Consumer<Map<Integer, String>> submitted) {
        int maxArray = scheduler.maxArraySize(transport.run(scheduler.limitsCommand()));
        Map<String, List<String>> jobIds = new HashMap<>();
        List<String> submittedNow = new ArrayList<>();
        try {
            for (Job job : plan.jobsInSubmitOrder()) {
                jobIds.put(job.name(), submitJob(plan, job, experiment, chunkSize(job, maxArray), jobIds, known, submittedNow, submitted));
            }
        } catch (ConnectionLost e) {
            throw e;
        } catch (RuntimeException e) {
            scheduler.cancelCommands(submittedNow, List.of()).forEach(transport::run);
            throw e;
        }
    }

    private static int chunkSize(Job job, int maxArray) {
        Integer cap = job.scheduler().maxArraySize();
        return cap == null ? maxArray : Math.min(cap, maxArray);
    }

    private List<String> submitJob(Plan plan, Job job, ExperimentRecord experiment, int chunk, Map<String, List<String>> jobIds,
                                   Map<Integer, String> known, List<String> submittedNow, Consumer<Map<Integer, String>> submitted) {
        List<ArraySubmission.After> after = new ArrayList<>();
        for (Dependency d : job.after()) {
            after.add(new ArraySubmission.After(d.when(), jobIds.get(d.job())));
        }
        List<WorkUnit> units = plan.workUnits(job);
        Set<String> ids = new LinkedHashSet<>();
        String script = Path.of(experiment.workDir()).resolve(scriptOf(plan, job)).toString();
        int first = scheduler.firstTaskId();
        for (int offset = 0; offset < units.size(); offset += chunk) {
            String earlier = known.get(units.get(offset).id());
            if (earlier != null) { // a chunk goes out in one submission: its first unit tells for all
                ids.add(scheduler.parseTask(earlier).jobId());
                continue;
            }
            int count = Math.min(chunk, units.size() - offset);
            ArraySubmission s = new ArraySubmission(script, jobName(experiment.id(), job.name()), offset, first,
                    first + count - 1, job.scheduler().maxParallel(), after);
            String id = scheduler.parseSubmit(transport.run(scheduler.submitCommand(s)));
            submittedNow.add(id);
            ids.add(id);
            Map<Integer, String> tasks = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                tasks.put(units.get(offset + i).id(), scheduler.formatTask(new TaskKey(id, first + i)));
            }
            submitted.accept(tasks);
        }
        return List.copyOf(ids);
    }

    /** Arrays the scheduler has under this experiment's job names, matched to chunks by the offset they carry. */
    @Override
    public Map<Integer, String> findSubmitted(Plan plan, ExperimentRecord experiment) {
        List<String> names = plan.jobsInSubmitOrder().stream().map(j -> jobName(experiment.id(), j.name())).toList();
        List<ExecResult> results = scheduler.findArraysCommands(names).stream().map(transport::run).toList();
        Map<Integer, String> found = new LinkedHashMap<>();
        int first = scheduler.firstTaskId();
        for (Scheduler.FoundArray a : scheduler.parseFoundArrays(results)) {
            // the script path holds the experiment's work dir: another store's experiment 1 is not ours
            Job job = plan.jobsInSubmitOrder().stream()
                    .filter(j -> Path.of(experiment.workDir()).resolve(scriptOf(plan, j)).toString().equals(a.script()))
                    .findFirst().orElse(null);
            if (job == null || a.offset() >= job.workUnitCount()) {
                continue;
            }
            List<WorkUnit> units = plan.workUnits(job);
            for (int i = 0; i < a.taskCount() && a.offset() + i < units.size(); i++) {
                found.put(units.get(a.offset() + i).id(), scheduler.formatTask(new TaskKey(a.jobId(), first + i)));
            }
        }
        return found;
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

    /** One line per check, each "ok ..." or "FAILED ..."; for {@code xmrun clusters check}. */
    public List<String> check() {
        List<String> lines = new ArrayList<>();
        long t0 = System.nanoTime();
        ExecResult ping = transport.run(List.of("true"));
        lines.add((ping.ok() ? "ok     " : "FAILED ") + "connect and run a command: " + millis(t0) + " ms"
                + (remote() ? " (" + spec.ssh().host() + ")" : ""));
        long t1 = System.nanoTime();
        transport.run(List.of("true"));
        lines.add("ok     round trip: " + millis(t1) + " ms");
        try {
            int max = scheduler.maxArraySize(transport.run(scheduler.limitsCommand()));
            lines.add("ok     " + scheduler.name() + " answers: arrays of up to " + max + " tasks");
        } catch (Failure e) {
            lines.add("FAILED " + scheduler.name() + ": " + e.getMessage());
        }
        if (spec != null && spec.workdir() != null) {
            String probe = root() + "/.xmrun-write-test";
            ExecResult w = transport.run(List.of("sh", "-c", "mkdir -p \"$1\" && touch \"$2\" && rm -f \"$2\"", "check", root(), probe));
            lines.add((w.ok() ? "ok     " : "FAILED ") + "workdir " + root() + (w.ok() ? " is writable" : ": " + w.stderr().strip()));
        }
        return lines;
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    @Override
    public String outputPath(ExperimentRecord experiment, WorkUnitRecord unit, Output which) {
        return Executor.unitOutput(experiment, unit, which);
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public void close() {
        transport.close();
    }
}
