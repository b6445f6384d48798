package xmrun.scheduler.slurm;

import xmrun.scheduler.TaskKey;
import xmrun.state.UnitStatus;
import xmrun.state.WorkUnitState;
import xmrun.transport.ExecResult;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses squeue and sacct output into work unit states. */
final class SlurmOutput {
    // 123_4, or a not-yet-split pending range as sacct prints it: 123_[5-9,11%2]
    private static final Pattern TASK = Pattern.compile("(\\d+)_(?:(\\d+)|\\[([0-9,\\-]+)(?:%\\d+)?\\])");
    // 123+1: component 1 of heterogeneous job 123, a job group's member
    private static final Pattern COMPONENT = Pattern.compile("(\\d+)\\+(\\d+)");

    private SlurmOutput() {
    }

    /**
     * Slurm job states (squeue(1) "JOB STATE CODES", sacct(1) "JOB STATE CODES") to ours.
     * A state missing here is reported as UNKNOWN rather than guessed.
     */
    static WorkUnitState state(String slurmState) {
        String s = slurmState.split(" ")[0]; // "CANCELLED by 0"
        return switch (s) {
            case "PENDING", "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESV_DEL_HOLD", "CONFIGURING" -> WorkUnitState.PENDING;
            case "RUNNING", "COMPLETING", "SIGNALING", "STAGE_OUT", "SUSPENDED", "STOPPED", "RESIZING" -> WorkUnitState.RUNNING;
            case "COMPLETED" -> WorkUnitState.SUCCEEDED;
            case "FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED", "SPECIAL_EXIT" -> WorkUnitState.FAILED;
            case "CANCELLED", "REVOKED" -> WorkUnitState.CANCELLED;
            default -> WorkUnitState.UNKNOWN;
        };
    }

    /** Lines of {@code %i|%T|%r|%S|%e}. */
    static void parseSqueue(ExecResult r, Set<String> ours, Map<TaskKey, UnitStatus> into) {
        if (!r.ok()) {
            throw SlurmFaults.failure("squeue failed", r);
        }
        for (String line : r.stdout().split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length < 5) {
                continue;
            }
            WorkUnitState state = state(f[1]);
            if (state == WorkUnitState.PENDING && f[2].equals(NEVER_SATISFIED)) {
                state = WorkUnitState.CANCELLED; // a dependency failed; the job can never start
            }
            Integer exit = state == WorkUnitState.SUCCEEDED ? Integer.valueOf(0) : null;
            String reason = reason(f[1], f[2], null);
            // %S is the expected start of a pending job, and the cancel time of one that never ran
            boolean ran = state != WorkUnitState.PENDING && !NEVER_SATISFIED.equals(reason);
            UnitStatus status = new UnitStatus(state, exit, ran ? time(f[3]) : null, state.isFinal() ? time(f[4]) : null, reason);
            forEachTask(f[0], ours, t -> into.put(t, status));
        }
    }

    /** Lines of {@code JobID|State|ExitCode|Start|End|Reason}; false when the cluster keeps no accounting. */
    static boolean parseSacct(ExecResult r, Set<String> ours, Map<TaskKey, UnitStatus> into) {
        if (!r.ok()) {
            if (r.stderr().contains("accounting storage is disabled") || r.stdout().contains("accounting storage is disabled")) {
                return false; // no accounting: squeue (jobs stay visible for MinJobAge) is all there is
            }
            throw SlurmFaults.failure("sacct failed", r);
        }
        for (String line : r.stdout().split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length < 6) {
                continue;
            }
            WorkUnitState state = state(f[1]);
            Instant started = time(f[3]);
            // a unit that never started (cancelled while pending) has no exit code, whatever sacct's 0:0 says
            UnitStatus status = new UnitStatus(state, started == null ? null : exitCode(f[2], state), started,
                    state.isFinal() ? time(f[4]) : null, reason(f[1], f[5], f[2]));
            forEachTask(f[0], ours, t -> into.put(t, status));
        }
        return true;
    }

    static final String NEVER_SATISFIED = "DependencyNeverSatisfied";

    /**
     * What users need to know beyond our state: why a unit waits (squeue's reason: Priority, Resources,
     * Dependency, QOSMaxJobsPerUserLimit, ...), or why it ended when the state alone does not say
     * (TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, ..., a signal, a dependency that failed).
     *
     * @param exitField sacct's ExitCode ("EXIT:SIGNAL"), or null from squeue
     */
    static String reason(String slurmState, String reasonField, String exitField) {
        String s = slurmState.split(" ")[0];
        WorkUnitState state = state(s);
        if (state == WorkUnitState.PENDING || s.equals("REQUEUED") || s.equals("SUSPENDED")) {
            return reasonField.equals("None") ? null : reasonField;
        }
        if (s.equals("CANCELLED")) {
            // sacct keeps the last pending reason: a job killed for an unsatisfiable dependency says Dependency
            return reasonField.startsWith("Dependency") ? NEVER_SATISFIED : null;
        }
        if (state == WorkUnitState.FAILED && !s.equals("FAILED")) {
            return s; // TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE
        }
        if (exitField != null && exitField.contains(":") && !exitField.endsWith(":0")) {
            return "signal " + exitField.substring(exitField.indexOf(':') + 1);
        }
        return null;
    }

    /**
     * squeue is current for live tasks, sacct knows exit codes. squeue sees a task end before slurmdbd
     * records it, so a failure squeue reports stays RUNNING until sacct has its exit code, for at most
     * {@link #ACCOUNTING_LAG} (slurmdbd may be down).
     */
    static Map<TaskKey, UnitStatus> merge(Map<TaskKey, UnitStatus> squeue, Map<TaskKey, UnitStatus> sacct, Instant now) {
        if (sacct == null) {
            return squeue;
        }
        Map<TaskKey, UnitStatus> merged = new java.util.LinkedHashMap<>(sacct);
        squeue.forEach((task, live) -> {
            UnitStatus accounted = sacct.get(task);
            if (accounted != null && accounted.state().isFinal()) {
                if (accounted.reason() == null && live.reason() != null && live.state() == accounted.state()) {
                    // sacct keeps no reason for an array task that never ran apart (688_[0]); squeue still says why
                    merged.put(task, new UnitStatus(accounted.state(), accounted.exitCode(), accounted.startedAt(), accounted.endedAt(),
                            live.reason()));
                }
                return;
            }
            boolean awaitExitCode = live.state() == WorkUnitState.FAILED && live.endedAt() != null
                    && live.endedAt().plus(ACCOUNTING_LAG).isAfter(now);
            merged.put(task, awaitExitCode
                    ? new UnitStatus(WorkUnitState.RUNNING, null, live.startedAt(), null, "ended; waiting for its exit code from sacct")
                    : live);
        });
        return merged;
    }

    static final java.time.Duration ACCOUNTING_LAG = java.time.Duration.ofSeconds(60);

    private static void forEachTask(String id, Set<String> ours, java.util.function.Consumer<TaskKey> action) {
        Matcher c = COMPONENT.matcher(id);
        if (c.matches()) {
            if (ours.contains(c.group(1))) {
                action.accept(TaskKey.component(c.group(1), Integer.parseInt(c.group(2))));
            }
            return;
        }
        Matcher m = TASK.matcher(id);
        if (!m.matches() || !ours.contains(m.group(1))) {
            return;
        }
        if (m.group(2) != null) {
            action.accept(new TaskKey(m.group(1), Integer.parseInt(m.group(2))));
            return;
        }
        for (String range : m.group(3).split(",")) {
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
            for (int t = from; t <= to; t++) {
                action.accept(new TaskKey(m.group(1), t));
            }
        }
    }

    /** "EXIT:SIGNAL"; killed by a signal reads as 128+signal, as a shell reports it. */
    static Integer exitCode(String field, WorkUnitState state) {
        if (!state.isFinal() || !field.contains(":")) {
            return null;
        }
        String[] p = field.split(":");
        int code = Integer.parseInt(p[0]);
        int signal = Integer.parseInt(p[1]);
        return signal != 0 && code == 0 ? 128 + signal : code;
    }

    /** Seconds since the epoch (we ask for SLURM_TIME_FORMAT=%s), or Unknown/None/N/A, or 0 for "not yet". */
    static Instant time(String field) {
        if (!field.matches("\\d+") || field.equals("0")) {
            return null;
        }
        return Instant.ofEpochSecond(Long.parseLong(field));
    }
}
