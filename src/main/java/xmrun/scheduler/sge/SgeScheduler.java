package xmrun.scheduler.sge;

import xmrun.Failure;
import xmrun.model.Resources;
import xmrun.model.Walltime;
import xmrun.scheduler.ArraySubmission;
import xmrun.scheduler.Capability;
import xmrun.scheduler.Limits;
import xmrun.scheduler.Directives;
import xmrun.scheduler.Fault;
import xmrun.scheduler.JobDirectives;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.state.UnitStatus;
import xmrun.transport.ExecResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grid Engine 8.1 (qsub(1), qstat(1), qacct(1), qdel(1)): jobs go out as arrays; status is one
 * {@code qacct}, one {@code qstat} and one {@code qconf} for the whole experiment.
 *
 * <p>Dependencies. {@code -hold_jid} only waits for the listed jobs to end, whatever their outcome
 * (qsub(1): "not eligible for execution unless all jobs referenced ... have completed"). Its one
 * outcome-based rule, a job exiting 100 keeping its dependents held, cannot serve here: the failed
 * job would report 100 instead of its own exit code, stay in error state, and keep 'any' and
 * 'failure' dependents from ever running. So every dependency is a plain {@code -hold_jid}, and a
 * job's script checks success or failure itself from the exit codes its dependencies' work units
 * left in the work dir (templates/sge/job.sh.peb); when the condition is not met the array deletes
 * itself with qdel before any program starts, so its units end CANCELLED, as with Slurm's afterok.
 * This needs the work dir shared with the execution hosts (as for logs) and qdel usable there.
 */
public final class SgeScheduler implements Scheduler {
    /** sge_conf(5): max_aj_tasks defaults to 75000 and 0 removes the limit; arrays keep the default size then. */
    static final int UNLIMITED_ARRAY = 75_000;
    private static final Pattern MAX_ARRAY = Pattern.compile("(?m)^max_aj_tasks\\s+(\\d+)");

    @Override
    public String name() {
        return "sge";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ARRAYS, Capability.DEPENDENCIES, Capability.REMOTE);
    }

    @Override
    public int firstTaskId() {
        return 1;
    }

    @Override
    public String taskIdVariable() {
        return "${SGE_TASK_ID:-1}";
    }

    /** The tasks of an array share JOB_ID; 11 is prime to the 120 port blocks, so neighbouring tasks and jobs differ. */
    @Override
    public String runningUnitId() {
        return "JOB_ID * 11 + SGE_TASK_ID";
    }

    @Override
    public List<String> versionCommand() {
        return List.of("qstat", "-help"); // its first line names the version: "SGE 8.1.9"
    }

    @Override
    public List<String> limitsCommand() {
        return List.of("qconf", "-sconf");
    }

    @Override
    public Limits limits(ExecResult result) {
        if (!result.ok()) {
            throw SgeFaults.failure("qconf -sconf failed", result);
        }
        Matcher m = MAX_ARRAY.matcher(result.stdout());
        if (!m.find()) {
            throw new Failure("qconf -sconf did not report max_aj_tasks: " + result.stderr().strip());
        }
        int max = Integer.parseInt(m.group(1));
        return Limits.arraysOf(max == 0 ? UNLIMITED_ARRAY : max);
    }

    @Override
    public List<String> directives(JobDirectives job) {
        List<String> d = new ArrayList<>();
        add(d, "N", job.name());
        add(d, "o", job.schedDir() + "/"); // a directory: one file per task, JOB_NAME.oJOB_ID.TASK_ID (qsub(1), -o)
        add(d, "j", "y");
        add(d, "wd", job.workDir());
        add(d, "S", "/bin/bash");
        Resources r = job.resources();
        // one slot per CPU of every task, all on one host: the 'smp' parallel environment's $pe_slots
        // allocation rule (sge_pe(5)). Several nodes cannot be asked for (no MULTI_NODE capability).
        int slots = (r.cpus() == null ? 1 : r.cpus()) * r.taskCountPerNode();
        if (slots > 1) {
            add(d, "pe", "smp", Integer.toString(slots));
        }
        if (r.memoryMib() != null) {
            // h_vmem is a per-slot limit that Grid Engine multiplies by the slots granted: split the unit's total
            add(d, "l", "h_vmem=" + ((r.memoryMib() + slots - 1) / slots) + "M");
        }
        if (r.time() != null) {
            add(d, "l", "h_rt=" + Walltime.clock(r.time()));
        }
        if (r.gpus() != null && r.gpus() > 0) {
            add(d, "l", "gpu=" + r.gpus()); // needs a consumable 'gpu' complex (qconf -sc); there is no standard one
        }
        addIfSet(d, "q", job.queue());
        addIfSet(d, "P", job.account());
        if (job.rerunByXmrun()) {
            add(d, "r", "n"); // not rerun by Grid Engine after a host failure: xmrun runs it again, as the next attempt
        }
        job.options().forEach((k, v) -> add(d, k, v));
        return d;
    }

    private static void addIfSet(List<String> d, String key, String value) {
        if (value != null) {
            add(d, key, value);
        }
    }

    private static void add(List<String> d, String key, String... values) {
        StringBuilder line = new StringBuilder("#$ -").append(Directives.plain(key, key));
        for (String v : values) {
            line.append(' ').append(Directives.plain(key, v));
        }
        d.add(line.toString());
    }

    /** Every dependency is a hold; see the class comment for how success and failure are told apart. */
    @Override
    public List<String> submitCommand(ArraySubmission s) {
        List<String> argv = new ArrayList<>(List.of("qsub", "-terse", "-t", s.firstTask() + "-" + s.lastTask()));
        if (s.parallel() != null) {
            argv.addAll(List.of("-tc", s.parallel().toString()));
        }
        if (s.held()) {
            argv.add("-h"); // a user hold (qsub(1)), lifted by qrls
        }
        List<String> holds = s.after().stream().flatMap(a -> a.jobIds().stream()).distinct().toList();
        if (!holds.isEmpty()) {
            argv.addAll(List.of("-hold_jid", String.join(",", holds)));
        }
        argv.add(s.script());
        argv.add(s.scriptArgument());
        return argv;
    }

    /**
     * qsub passes none of its environment unless told (qsub(1), -v and -V): {@code -v NAME} without a value exports
     * the variable as it is in qsub's environment, so only the names are on its command line.
     */
    @Override
    public List<String> exporting(List<String> submitCommand, List<String> names) {
        if (names.isEmpty()) {
            return submitCommand;
        }
        List<String> argv = new ArrayList<>(submitCommand);
        argv.addAll(1, List.of("-v", String.join(",", names)));
        return argv;
    }

    /** {@code -terse} prints "ID" for a job and "ID.FIRST-LAST:STEP" for an array. */
    @Override
    public String parseSubmit(ExecResult result) {
        String out = result.stdout().strip();
        if (!result.ok() || !out.matches("\\d+(\\.\\d+-\\d+:\\d+)?")) {
            throw SgeFaults.failure("qsub refused the job", result);
        }
        return out.split("\\.")[0];
    }

    @Override
    public Fault fault(ExecResult failed) {
        return SgeFaults.of(failed);
    }

    @Override
    public char taskSeparator() {
        return '.';
    }

    /**
     * qacct for the tasks that ended, then qstat for the rest: a task both mention has been queued again
     * since its record. qconf tells how late a record may appear. qacct reads its whole file whatever it
     * looks for, so one name pattern gets every job of the experiment; qstat cannot filter by name, so
     * its answer is filtered here.
     */
    @Override
    public List<List<String>> statusCommands(List<String> jobIds, List<String> jobNames) {
        return List.of(List.of("env", UTC, "qacct", "-j", namePattern(jobNames)), List.of("env", UTC, "qstat", "-xml", "-u", "*"),
                List.of("qconf", "-sconf"));
    }

    /**
     * qacct and qstat print times in the local time of the host they run on, without a zone; asking for UTC
     * makes a cluster in another time zone (or a login node set to one) read right.
     */
    static final String UTC = "TZ=UTC";

    /** The names' common start and a '*' ({@code xm12-*}); one name stands for itself. */
    static String namePattern(List<String> names) {
        String prefix = names.get(0);
        for (String n : names) {
            int i = 0;
            while (i < prefix.length() && i < n.length() && prefix.charAt(i) == n.charAt(i)) {
                i++;
            }
            prefix = prefix.substring(0, i);
        }
        return names.size() == 1 ? prefix : prefix + "*";
    }

    @Override
    public Map<TaskKey, UnitStatus> parseStatus(List<String> jobIds, List<ExecResult> results,
                                              Map<TaskKey, UnitStatus> lastSeen) {
        Set<String> ours = new HashSet<>(jobIds);
        return SgeOutput.merge(SgeOutput.parseQacct(results.get(0), ours), SgeOutput.parseQstat(results.get(1), ours),
                lastSeen, SgeOutput.accounting(results.get(2)), Instant.now());
    }

    /** {@code -o DIR/}: qsub(1) names the file JOB_NAME.oJOB_ID.TASK_ID (and -j y puts stderr there too). */
    @Override
    public String outputFileName(String jobName, TaskKey task) {
        return jobName + ".o" + task.jobId() + "." + task.taskId();
    }

    @Override
    public List<List<String>> releaseCommands(List<String> jobIds) {
        if (jobIds.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of("qrls"));
        argv.addAll(jobIds);
        return List.of(argv);
    }

    /** One qdel for whole jobs; single tasks as "ID -t TASK" pairs, which qdel takes several of in one call. */
    @Override
    public List<List<String>> cancelCommands(List<String> wholeJobs, List<TaskKey> tasks) {
        List<List<String>> commands = new ArrayList<>();
        if (!wholeJobs.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("qdel"));
            argv.addAll(wholeJobs);
            commands.add(argv);
        }
        if (!tasks.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("qdel"));
            tasks.forEach(t -> argv.addAll(List.of(t.jobId(), "-t", Integer.toString(t.taskId()))));
            commands.add(argv);
        }
        return commands;
    }

    /**
     * qdel prints everything on stdout and exits 1 if any job or task it was given is gone, after deleting
     * the others: 'denied: job "12" does not exist', 'job "12" task "3" does not exist'.
     */
    @Override
    public boolean cancelled(ExecResult result) {
        return result.ok() || (result.stdout() + "\n" + result.stderr()).lines()
                .allMatch(l -> l.isBlank() || l.endsWith("does not exist") || l.contains(" has deleted ") || l.contains(" has registered "));
    }
}
