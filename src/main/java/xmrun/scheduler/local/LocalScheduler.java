package xmrun.scheduler.local;

import xmrun.Failure;
import xmrun.local.MachineGpus;
import xmrun.model.Resources;
import xmrun.scheduler.ArraySubmission;
import xmrun.scheduler.Capability;
import xmrun.scheduler.Directives;
import xmrun.scheduler.JobDirectives;
import xmrun.scheduler.Limits;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.state.UnitStatus;
import xmrun.transport.ExecResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This machine's own small batch scheduler (its runner is {@link xmrun.local.LocalRunner}, its files
 * {@link xmrun.local.Spool}), driven like Slurm: {@code submit} returns a job id for an array, the
 * directives sit in the script as {@code #XMRUN --key=value}, status, cancel and find are one command
 * each over the spool. Work units take CPU slots out of this machine's cores and GPUs out of its GPUs,
 * across every experiment of the user; memory is not enforced.
 *
 * @param spool     the spool directory ({@code XMRUN_HOME/local})
 * @param java      the java binary that runs the runner
 * @param classPath xmrun's class path
 */
public record LocalScheduler(Path spool, String java, String classPath) implements Scheduler {
    static final String DIRECTIVE = "#XMRUN";

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ARRAYS, Capability.DEPENDENCIES, Capability.SAME_HOST, Capability.GROUPS);
    }

    @Override
    public int firstTaskId() {
        return 0;
    }

    @Override
    public String taskIdVariable() {
        return "${XM_LOCAL_TASK_ID:-0}";
    }

    /** The tasks of an array share the job id; 11 is prime to the 120 port blocks, so neighbouring tasks and jobs differ. */
    @Override
    public String runningUnitId() {
        return "XM_LOCAL_JOB_ID * 11 + XM_LOCAL_TASK_ID";
    }

    /** The cores and GPUs a work unit can have here. */
    @Override
    public List<String> limitsCommand() {
        return List.of("sh", "-c", "nproc && echo -- && " + MachineGpus.DETECT, "xmrun-local-limits");
    }

    @Override
    public Limits limits(ExecResult result) {
        String out = result.stdout();
        int split = out.indexOf("--\n");
        if (!result.ok() || split < 0) {
            throw new Failure("cannot count this machine's CPUs: " + result.stderr().strip());
        }
        int cpus = Integer.parseInt(out.substring(0, split).strip());
        int gpus = MachineGpus.parse(new ExecResult(0, out.substring(split + 3), "")).size();
        return new Limits(Integer.MAX_VALUE, cpus, gpus);
    }

    @Override
    public List<String> directives(JobDirectives job) {
        Resources r = job.resources();
        return directives(job, r.cpus() == null && r.tasksPerNode() == null ? null : cpus(r), gpus(r),
                r.time() == null ? null : r.time().getSeconds());
    }

    /**
     * A group runs as one job of this machine whose task starts every member at once: it takes the CPU
     * and GPU slots of all of them together, for the longest of their time limits.
     */
    @Override
    public List<String> groupDirectives(List<JobDirectives> members) {
        int cpus = 0;
        int gpus = 0;
        Long time = 0L;
        for (JobDirectives m : members) {
            Resources r = m.resources();
            cpus += cpus(r);
            gpus += gpus(r);
            time = time == null || r.time() == null ? null : Math.max(time, r.time().getSeconds());
        }
        return directives(members.get(0), cpus, gpus, time);
    }

    private static int cpus(Resources r) {
        return (r.cpus() == null ? 1 : r.cpus()) * r.taskCountPerNode();
    }

    private static int gpus(Resources r) {
        return r.gpus() == null ? 0 : r.gpus();
    }

    private static List<String> directives(JobDirectives job, Integer cpus, int gpus, Long seconds) {
        List<String> d = new ArrayList<>();
        add(d, "job-name", job.name());
        add(d, "sched-dir", job.schedDir());
        add(d, "chdir", job.workDir());
        if (cpus != null) {
            add(d, "cpus", cpus.toString());
        }
        if (gpus > 0) {
            add(d, "gpus", Integer.toString(gpus));
        }
        if (seconds != null) {
            add(d, "time", Long.toString(seconds));
        }
        return d;
    }

    private static void add(List<String> d, String key, String value) {
        d.add(DIRECTIVE + " --" + key + "=" + Directives.plain(key, value));
    }

    @Override
    public List<String> submitCommand(ArraySubmission s) {
        List<String> after = new ArrayList<>();
        s.after().forEach(a -> after.add(a.when().slurmType + ":" + String.join(":", a.jobIds())));
        return List.of("sh", "-c", LocalCommands.SUBMIT, "xmrun-local-submit", spool.toString(), java, classPath, s.script(),
                s.scriptArgument(), Integer.toString(s.firstTask()), Integer.toString(s.lastTask()),
                s.parallel() == null ? "" : s.parallel().toString(), String.join(",", after), s.jobName(), s.held() ? "held" : "");
    }

    @Override
    public String parseSubmit(ExecResult result) {
        String out = result.stdout().strip();
        if (!result.ok() || !out.matches("\\d+")) {
            throw new Failure("the local scheduler refused the job: " + (result.stderr().strip() + " " + out).strip());
        }
        return out;
    }

    @Override
    public char taskSeparator() {
        return '_';
    }

    @Override
    public List<List<String>> statusCommands(List<String> jobIds, List<String> jobNames) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", LocalCommands.STATUS, "xmrun-local-status", spool.toString()));
        argv.addAll(jobIds);
        return List.of(argv);
    }

    @Override
    public Map<TaskKey, UnitStatus> parseStatus(List<String> jobIds, List<ExecResult> results, Map<TaskKey, UnitStatus> lastSeen) {
        ExecResult r = results.get(0);
        if (!r.ok()) {
            throw new Failure("cannot read the local scheduler's state: " + r.stderr().strip());
        }
        Map<TaskKey, UnitStatus> states = LocalStatus.parse(r.stdout());
        // the members of a group share the one task that starts them all
        lastSeen.keySet().stream().filter(TaskKey::component).forEach(k -> {
            UnitStatus task = states.get(new TaskKey(k.jobId(), firstTaskId()));
            if (task != null) {
                states.put(k, task);
            }
        });
        return states;
    }

    @Override
    public List<List<String>> findArraysCommands(List<String> jobNames) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", LocalCommands.FIND, "xmrun-local-find", spool.toString()));
        argv.addAll(jobNames);
        return List.of(argv);
    }

    @Override
    public List<FoundArray> parseFoundArrays(List<ExecResult> results) {
        return LocalStatus.parseFound(results.get(0).stdout());
    }

    /** The runner writes each task's own output as NAME-ID_TASK.out (see LocalRunner). */
    @Override
    public String outputFileName(String jobName, TaskKey task) {
        return jobName + "-" + task.jobId() + "_" + task.taskId() + ".out";
    }

    @Override
    public List<List<String>> releaseCommands(List<String> jobIds) {
        if (jobIds.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", LocalCommands.RELEASE, "xmrun-local-release", spool.toString()));
        argv.addAll(jobIds);
        return List.of(argv);
    }

    /** One command for whole jobs ({@code 12}) and single tasks ({@code 12_3}) alike. */
    @Override
    public List<List<String>> cancelCommands(List<String> wholeJobs, List<TaskKey> tasks) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", LocalCommands.CANCEL, "xmrun-local-cancel", spool.toString()));
        argv.addAll(wholeJobs);
        tasks.forEach(t -> argv.add(t.component() ? t.jobId() : formatTask(t))); // a member stops its whole group here
        return argv.size() == 5 ? List.of() : List.of(argv);
    }
}
