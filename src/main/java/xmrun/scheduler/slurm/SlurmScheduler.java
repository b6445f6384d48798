package xmrun.scheduler.slurm;

import xmrun.Failure;
import xmrun.model.Resources;
import xmrun.model.Walltime;
import xmrun.scheduler.ArraySubmission;
import xmrun.scheduler.Capability;
import xmrun.scheduler.Limits;
import xmrun.scheduler.Directives;
import xmrun.scheduler.Fault;
import xmrun.scheduler.GroupSubmission;
import xmrun.scheduler.JobDirectives;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.StartEstimate;
import xmrun.scheduler.TaskKey;
import xmrun.state.UnitStatus;
import xmrun.transport.ExecResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm (sbatch(1), squeue(1), sacct(1), scancel(1)): jobs go out as arrays; status is one
 * {@code squeue} and one {@code sacct} for the whole experiment; accounting may be disabled. A job
 * group goes out as one heterogeneous job per sweep point (sbatch(1), HETEROGENEOUS JOB SUPPORT):
 * component I is member I, named {@code 123+I} by squeue, sacct and scancel.
 */
public final class SlurmScheduler implements Scheduler {
    private static final Pattern MAX_ARRAY = Pattern.compile("(?m)^MaxArraySize\\s*=\\s*(\\d+)");

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ARRAYS, Capability.DEPENDENCIES, Capability.HETEROGENEOUS_JOBS, Capability.GROUPS,
                Capability.MULTI_NODE, Capability.START_ESTIMATES, Capability.REQUEUE, Capability.REMOTE);
    }

    @Override
    public int firstTaskId() {
        return 0;
    }

    @Override
    public String taskIdVariable() {
        return "${SLURM_ARRAY_TASK_ID:-0}";
    }

    /** Every array task has a job id of its own, unique on the cluster while it runs. */
    @Override
    public String runningUnitId() {
        return "SLURM_JOB_ID";
    }

    @Override
    public List<String> versionCommand() {
        return List.of("sbatch", "--version"); // "slurm 22.05.8"
    }

    @Override
    public List<String> limitsCommand() {
        return List.of("scontrol", "show", "config");
    }

    /** MaxArraySize bounds task ids (0..MaxArraySize-1), so it is also the most tasks one array holds. */
    @Override
    public Limits limits(ExecResult result) {
        if (!result.ok()) {
            throw SlurmFaults.failure("scontrol show config failed", result);
        }
        Matcher m = MAX_ARRAY.matcher(result.stdout());
        if (!m.find()) {
            throw new Failure("scontrol show config did not report MaxArraySize: " + result.stderr().strip());
        }
        return Limits.arraysOf(Integer.parseInt(m.group(1)));
    }

    @Override
    public List<String> directives(JobDirectives job) {
        return directives(job, "/%x-%A_%a.out"); // job name, array id, task id: unique per task
    }

    /** Each member's directives, one heterogeneous job component each, separated by {@code #SBATCH hetjob} lines. */
    @Override
    public List<String> groupDirectives(List<JobDirectives> members) {
        List<String> d = new ArrayList<>();
        for (JobDirectives m : members) {
            if (!d.isEmpty()) {
                d.add("#SBATCH hetjob");
            }
            d.addAll(directives(m, "/%x-%j.out")); // not an array: %a would read 4294967294
        }
        return d;
    }

    /**
     * {@code cpus} is per task. Memory is per node in Slurm's own terms ({@code --mem}); GPUs are per node
     * once a unit spans several ({@code --gpus-per-node}), else the unit's ({@code --gpus}).
     */
    private List<String> directives(JobDirectives job, String output) {
        List<String> d = new ArrayList<>();
        add(d, "job-name", job.name());
        add(d, "output", job.schedDir() + output);
        add(d, "chdir", job.workDir());
        d.addAll(requests(job));
        return d;
    }

    /** What the job asks for and where: everything of its directives but its name and paths. */
    private static List<String> requests(JobDirectives job) {
        List<String> d = new ArrayList<>();
        Resources r = job.resources();
        if (r.placed()) {
            add(d, "nodes", Integer.toString(r.nodeCount()));
            add(d, "ntasks-per-node", Integer.toString(r.taskCountPerNode()));
        }
        if (r.cpus() != null) {
            add(d, "cpus-per-task", r.cpus().toString());
        }
        if (r.memoryMib() != null) {
            add(d, "mem", r.memoryMib() + "M");
        }
        if (r.gpus() != null && r.gpus() > 0) {
            add(d, r.multiNode() ? "gpus-per-node" : "gpus", r.gpus().toString());
        }
        if (r.time() != null) {
            add(d, "time", Walltime.clock(r.time()));
        }
        addIfSet(d, "partition", job.partition());
        addIfSet(d, "account", job.account());
        addIfSet(d, "qos", job.qos());
        if (job.rerunByXmrun()) {
            d.add("#SBATCH --no-requeue"); // slurm.conf's JobRequeue=1 would requeue on a node failure; the unit must end NODE_FAIL
        }
        job.options().forEach((k, v) -> add(d, k, v));
        return d;
    }

    private static void addIfSet(List<String> d, String key, String value) {
        if (value != null) {
            add(d, key, value);
        }
    }

    private static void add(List<String> d, String key, String value) {
        d.add("#SBATCH --" + key + "=" + Directives.plain(key, value));
    }

    /**
     * {@code sbatch --test-only} (sbatch(1)) with the job's own directives as options, a group's components separated
     * by ":" as for a heterogeneous job; it prints the estimate on stderr and submits nothing. The directives are
     * those of the job's script without their "#SBATCH " (its output and working directory do not exist yet, and
     * do not change when it starts); times come as seconds since the epoch, as for status.
     */
    @Override
    public List<String> startEstimateCommand(List<JobDirectives> components) {
        List<String> argv = new ArrayList<>(List.of("env", EPOCH_TIMES, "sbatch", "--test-only"));
        for (int i = 0; i < components.size(); i++) {
            if (i > 0) {
                argv.add(":");
            }
            List<String> d = new ArrayList<>();
            add(d, "job-name", components.get(i).name());
            d.addAll(requests(components.get(i)));
            d.forEach(line -> argv.add(line.substring(SBATCH.length())));
        }
        argv.add("--wrap=true");
        return argv;
    }

    private static final String SBATCH = "#SBATCH ";

    /** "sbatch: Job 12 to start at 1796088622 using 1 processors on nodes c1 in partition debug"; a het job's omits "nodes". */
    private static final Pattern WOULD_START = Pattern.compile("Job \\d+ to start at (\\d+) using");

    /**
     * rc 0 with the line above; rc 1 when the request can never run there ("allocation failure: Requested node
     * configuration is not available"; a drained partition answers the same), its stderr lines being the reason.
     * An rc 0 without a time is a job it takes, at a time it did not say.
     */
    @Override
    public StartEstimate parseStartEstimate(ExecResult result) {
        Matcher m = WOULD_START.matcher(result.stderr());
        if (result.ok()) {
            return m.find() ? StartEstimate.at(Instant.ofEpochSecond(Long.parseLong(m.group(1)))) : StartEstimate.UNKNOWN;
        }
        List<String> lines = result.stderr().lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> l.startsWith("sbatch: error: ") ? l.substring("sbatch: error: ".length()) : l).toList();
        String said = lines.isEmpty() ? result.stdout().strip() : String.join("; ", lines);
        return StartEstimate.refused(said.isEmpty() ? "sbatch --test-only failed (exit " + result.exitCode() + ")" : said);
    }

    @Override
    public List<String> stepLauncher(List<String> options) {
        List<String> words = new ArrayList<>(List.of("srun"));
        words.addAll(options);
        return words;
    }

    /** A step of one task in the member's own component (sbatch(1), --het-group), with the member's CPUs. */
    @Override
    public List<String> groupMemberLauncher(int member, Resources resources, List<String> options) {
        List<String> words = new ArrayList<>(List.of("srun", "--het-group=" + member, "--nodes=1", "--ntasks=1"));
        if (resources.cpus() != null) {
            words.add("--cpus-per-task=" + resources.cpus());
        }
        words.addAll(options);
        return words;
    }

    @Override
    public List<String> submitCommand(ArraySubmission s) {
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable",
                "--array=" + s.firstTask() + "-" + s.lastTask() + (s.parallel() == null ? "" : "%" + s.parallel()),
                // lets a resume recognise this array if the connection drops before sbatch's answer arrives
                "--comment=" + (s.retryList() == null ? "xmrun-offset=" + s.offset() + ",tasks=" + s.taskCount() : "xmrun-retry")));
        if (s.held()) {
            argv.add("--hold");
        }
        dependency(argv, s.after());
        argv.add(s.script());
        argv.add(s.scriptArgument());
        return argv;
    }

    /** Not an array (sbatch refuses arrays of heterogeneous jobs); the comment lets a resume recognise it, as for arrays. */
    @Override
    public List<String> submitGroupCommand(GroupSubmission s) {
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable", "--comment=xmrun-offset=" + s.point() + ",tasks=1"));
        dependency(argv, s.after());
        argv.add(s.script());
        argv.add(Integer.toString(s.point()));
        return argv;
    }

    private static void dependency(List<String> argv, List<ArraySubmission.After> after) {
        if (!after.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (ArraySubmission.After a : after) {
                parts.add(a.when().slurmType + ":" + String.join(":", a.jobIds()));
            }
            argv.add("--dependency=" + String.join(",", parts));
            // without it a job whose dependency failed would stay PENDING (DependencyNeverSatisfied) forever
            argv.add("--kill-on-invalid-dep=yes");
        }
    }

    /** {@code --parsable} prints "ID" or "ID;CLUSTER". */
    @Override
    public String parseSubmit(ExecResult result) {
        String out = result.stdout().strip();
        if (!result.ok() || !out.matches("\\d+(;\\S+)?")) {
            throw SlurmFaults.failure("sbatch refused the job", result);
        }
        return out.split(";")[0];
    }

    @Override
    public Fault fault(ExecResult failed) {
        return SlurmFaults.of(failed);
    }

    @Override
    public char taskSeparator() {
        return '_';
    }

    /**
     * squeue by job name (ids of long-gone jobs would make it fail) with -r, one line per array task,
     * for what is live; then, only when squeue no longer shows some task live, sacct by id for what has ended,
     * with exit codes (see {@link #statusFollowUpCommands}).
     */
    @Override
    public List<List<String>> statusCommands(List<String> jobIds, List<String> jobNames) {
        return List.of(
                List.of("env", EPOCH_TIMES, "squeue", "--noheader", "--array", "--states=all", "--name=" + String.join(",", jobNames),
                        "--format=%i|%T|%r|%S|%e"));
    }

    /**
     * sacct asks slurmdbd, which takes some 150 ms even for nothing, against squeue's few ms from slurmctld's
     * memory; while squeue shows every open task pending or running, sacct could only repeat it.
     */
    @Override
    public List<List<String>> statusFollowUpCommands(List<String> jobIds, List<ExecResult> first, Map<TaskKey, UnitStatus> lastSeen) {
        Map<TaskKey, UnitStatus> live = new HashMap<>();
        SlurmOutput.parseSqueue(first.get(0), new HashSet<>(jobIds), live);
        boolean allLive = lastSeen.keySet().stream().allMatch(task -> live.containsKey(task) && !live.get(task).state().isFinal());
        return allLive && !lastSeen.isEmpty() ? List.of() : List.of(
                List.of("env", EPOCH_TIMES, "sacct", "--noheader", "--parsable2", "--allocations", "--jobs=" + String.join(",", jobIds),
                        "--format=JobID,State,ExitCode,Start,End,Reason"));
    }

    /** Times as seconds since the epoch (squeue(1), ENVIRONMENT VARIABLES): a cluster in another time zone reads right. */
    static final String EPOCH_TIMES = "SLURM_TIME_FORMAT=%s";

    @Override
    public Map<TaskKey, UnitStatus> parseStatus(List<String> jobIds, List<ExecResult> results,
                                              Map<TaskKey, UnitStatus> lastSeen) {
        Set<String> ours = new HashSet<>(jobIds);
        Map<TaskKey, UnitStatus> live = new LinkedHashMap<>();
        SlurmOutput.parseSqueue(results.get(0), ours, live);
        if (results.size() < 2) {
            return live; // every task squeue was asked about is live there (statusFollowUpCommands)
        }
        Map<TaskKey, UnitStatus> accounted = new LinkedHashMap<>();
        boolean accounting = SlurmOutput.parseSacct(results.get(1), ours, accounted);
        return SlurmOutput.merge(live, accounting ? accounted : null, Instant.now());
    }

    /** One line per array (no -r): its job id, name, the comment sbatch was given and its command (script, offset). */
    @Override
    public List<List<String>> findArraysCommands(List<String> jobNames) {
        return List.of(List.of("squeue", "--noheader", "--states=all", "--name=" + String.join(",", jobNames), "--format=%A|%j|%k|%o"));
    }

    @Override
    public List<FoundArray> parseFoundArrays(List<ExecResult> results) {
        ExecResult r = results.get(0);
        if (!r.ok()) {
            throw SlurmFaults.failure("squeue failed", r);
        }
        java.util.Map<String, FoundArray> byId = new LinkedHashMap<>();
        Matcher m = FOUND.matcher(r.stdout());
        while (m.find()) {
            byId.putIfAbsent(m.group(1), new FoundArray(m.group(2), m.group(1), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    m.group(5)));
        }
        return List.copyOf(byId.values());
    }

    private static final Pattern FOUND = Pattern.compile("(?m)^\\s*(\\d+)\\|([^|]+)\\|xmrun-offset=(\\d+),tasks=(\\d+)\\|(\\S+)");

    /** As the directive {@code --output=DIR/%x-%A_%a.out} names it: job name, array job id, task id. */
    @Override
    public String outputFileName(String jobName, TaskKey task) {
        return jobName + "-" + task.jobId() + "_" + task.taskId() + ".out";
    }

    /** scontrol release takes a comma-separated list (scontrol(1)). */
    @Override
    public List<List<String>> releaseCommands(List<String> jobIds) {
        return jobIds.isEmpty() ? List.of() : List.of(List.of("scontrol", "release", String.join(",", jobIds)));
    }

    /** scancel takes whole jobs, single tasks (123_4) and single components of a heterogeneous job (123+1) in one call. */
    @Override
    public List<List<String>> cancelCommands(List<String> wholeJobs, List<TaskKey> tasks) {
        List<String> argv = new ArrayList<>(List.of("scancel"));
        argv.addAll(wholeJobs);
        tasks.forEach(t -> argv.add(formatTask(t)));
        return argv.size() == 1 ? List.of() : List.of(argv);
    }
}
