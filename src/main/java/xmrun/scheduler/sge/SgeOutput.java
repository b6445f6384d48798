package xmrun.scheduler.sge;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import xmrun.Failure;
import xmrun.scheduler.TaskKey;
import xmrun.state.UnitStatus;
import xmrun.state.WorkUnitState;
import xmrun.transport.ExecResult;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses qacct, qstat -xml and qconf output into work unit states. */
final class SgeOutput {
    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+)(?::(\\d+))?)?");
    private static final Pattern LEADING_INT = Pattern.compile("^-?\\d+");
    private static final Pattern REPORTING = Pattern.compile("(?m)^reporting_params\\s+(.*)$");
    private static final DateTimeFormatter QACCT_TIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);
    /** sge_conf(5): accounting records are flushed every flush_time, 15 s unless set. */
    static final Duration DEFAULT_FLUSH = Duration.ofSeconds(15);
    /** Beyond the flush interval, for qacct to read the file the record went to. */
    static final Duration READ_MARGIN = Duration.ofSeconds(5);

    private SgeOutput() {
    }

    /**
     * qstat job states (sge_status(5), "Job state"). Letters combine; d (being deleted), h (hold) and
     * R (restarted) only qualify the others, so they are set aside first. A state missing here is
     * reported as UNKNOWN rather than guessed.
     */
    static WorkUnitState state(String code) {
        return switch (code.replaceAll("[dhR]", "")) {
            // pending: qw, hqw (held: a dependency, a start time (-a), a user hold), Rq and hRwq (queued again)
            case "qw", "q", "wq" -> WorkUnitState.PENDING;
            // running or transferring to its host: r, t, Rr, Rt; dr, dt go on running until the deletion kills them
            case "r", "t" -> WorkUnitState.RUNNING;
            // suspended by the user (s), its queue (S) or a load alarm (T); it keeps its slots and resumes
            case "s", "ts", "S", "tS", "Ss", "T", "tT", "Ts" -> WorkUnitState.RUNNING;
            // error state (Eqw, Ehqw, EhRqw): it will not run unless an administrator clears it (qmod -cj)
            case "Eqw" -> WorkUnitState.FAILED;
            default -> WorkUnitState.UNKNOWN;
        };
    }

    /**
     * A task's accounting record (sge_accounting(5)): "failed" is Grid Engine's reason (sge_status(5)),
     * exit_status the script's. Records with failed 24 or 25 are not final (the task runs again) and never get here.
     */
    static WorkUnitState outcome(int failed, int exitStatus) {
        return switch (failed) {
            case 0 -> exitStatus == 0 ? WorkUnitState.SUCCEEDED : WorkUnitState.FAILED;
            // "assumedly after job": killed by a signal once started; SIGKILL from Grid Engine is what qdel sends
            case 100 -> exitStatus == 137 ? WorkUnitState.CANCELLED : WorkUnitState.FAILED;
            // could not start (1-11, 26-29, ...), exited 100 into error state (30), killed at its h_rt (37), ...
            default -> WorkUnitState.FAILED;
        };
    }

    /**
     * Why a task ended as it did, in the words Slurm uses where they mean the same (sge_status(5), "failed"):
     * 37 is a limit the qmaster enforced (h_rt), 100 with 137 is a SIGKILL (qdel); other codes keep Grid Engine's text.
     */
    static String reason(int failed, int exitStatus, String failedField) {
        if (failed == 37) {
            return "TIMEOUT";
        }
        if (failed == 0) {
            return exitStatus > 128 ? "signal " + (exitStatus - 128) : null;
        }
        return failed == 100 && exitStatus == 137 ? null : "failed " + failedField.strip();
    }

    /** qacct -j output: records between lines of '='; a task ran again has several, the last one counts. */
    static Map<TaskKey, UnitStatus> parseQacct(ExecResult r, Set<String> ours) {
        Map<TaskKey, UnitStatus> into = new LinkedHashMap<>();
        if (!r.ok()) {
            // nothing has ended yet: "error: job name xm12-* not found", or no accounting file yet
            if (r.stderr().contains(" not found") || r.stdout().contains("no jobs running since startup")) {
                return into;
            }
            throw SgeFaults.failure("qacct failed", r);
        }
        for (String record : r.stdout().split("(?m)^=+\\s*$")) {
            Map<String, String> f = new LinkedHashMap<>();
            for (String line : record.split("\n")) {
                String[] kv = line.strip().split("\\s+", 2);
                if (kv.length == 2) {
                    f.put(kv[0], kv[1]);
                }
            }
            if (!f.containsKey("jobnumber") || !ours.contains(f.get("jobnumber"))) {
                continue;
            }
            int failed = leadingInt(f.get("failed"));
            if (failed == 24 || failed == 25) {
                continue; // "will be migrated" / "will be rescheduled": qstat lists the task again
            }
            int exit = leadingInt(f.get("exit_status"));
            String task = f.getOrDefault("taskid", "undefined");
            into.put(new TaskKey(f.get("jobnumber"), task.matches("\\d+") ? Integer.parseInt(task) : 1),
                    new UnitStatus(outcome(failed, exit), exit, qacctTime(f.get("start_time")), qacctTime(f.get("end_time")),
                            reason(failed, exit, f.get("failed"))));
        }
        return into;
    }

    /** qstat -xml: running tasks one per job_list, pending ones as ranges ("3-5:1") or lists ("1,2") in tasks. */
    static Map<TaskKey, UnitStatus> parseQstat(ExecResult r, Set<String> ours) {
        if (!r.ok()) {
            throw SgeFaults.failure("qstat failed", r);
        }
        Map<TaskKey, UnitStatus> into = new LinkedHashMap<>();
        NodeList jobs;
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            jobs = factory.newDocumentBuilder().parse(new ByteArrayInputStream(r.stdout().getBytes(StandardCharsets.UTF_8)))
                    .getElementsByTagName("job_list");
        } catch (Exception e) {
            throw new Failure("qstat -xml printed what is not XML: " + e.getMessage());
        }
        for (int i = 0; i < jobs.getLength(); i++) {
            Element job = (Element) jobs.item(i);
            String id = text(job, "JB_job_number");
            if (!ours.contains(id)) {
                continue;
            }
            String code = text(job, "state");
            WorkUnitState state = state(code);
            UnitStatus status = new UnitStatus(state, null, state == WorkUnitState.RUNNING ? isoTime(text(job, "JAT_start_time")) : null,
                    null, code.equals("r") || code.equals("qw") ? null : "qstat state " + code);
            String tasks = text(job, "tasks");
            forEachTask(tasks == null ? "1" : tasks, t -> into.put(new TaskKey(id, t), status));
        }
        return into;
    }

    /** What the cluster configuration says of accounting: whether it is kept, and how late a record may appear. */
    record Accounting(boolean kept, Duration flush) {
        Duration lag() {
            return flush.plus(READ_MARGIN);
        }
    }

    /** qconf -sconf: reporting_params (sge_conf(5)), possibly continued over lines with '\'. */
    static Accounting accounting(ExecResult r) {
        if (!r.ok()) {
            throw SgeFaults.failure("qconf -sconf failed", r);
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = REPORTING.matcher(r.stdout().replaceAll("\\\\\\n\\s*", " "));
        if (m.find()) {
            for (String word : m.group(1).trim().split("\\s+")) {
                String[] kv = word.split("=", 2);
                if (kv.length == 2) {
                    params.put(kv[0], kv[1]);
                }
            }
        }
        String flush = params.getOrDefault("accounting_flush_time", params.get("flush_time"));
        return new Accounting(!"false".equalsIgnoreCase(params.get("accounting")), flush == null ? DEFAULT_FLUSH : duration(flush));
    }

    /**
     * Accounting records are final, qstat is current: qacct runs first, so a task qstat still lists has
     * run again since its record, or sits in error state after it (then the record has the exit code).
     * A task neither mentions has left without a trace, or its record is not flushed yet: it is
     * reported UNKNOWN with the time it was first missed as its end, and once a record would have
     * appeared since, as deleted before it started (CANCELLED). Grid Engine writes no record for a
     * task deleted while pending (qdel(1) of a waiting job or of a job whose dependency failed).
     */
    static Map<TaskKey, UnitStatus> merge(Map<TaskKey, UnitStatus> qacct, Map<TaskKey, UnitStatus> qstat,
                                          Map<TaskKey, UnitStatus> lastSeen, Accounting accounting, Instant now) {
        Map<TaskKey, UnitStatus> merged = new LinkedHashMap<>(qacct);
        qstat.forEach((task, live) -> {
            UnitStatus record = qacct.get(task);
            merged.put(task, live.state() == WorkUnitState.FAILED && record != null
                    ? new UnitStatus(WorkUnitState.FAILED, record.exitCode(), record.startedAt(), record.endedAt(), live.reason())
                    : live);
        });
        lastSeen.forEach((task, last) -> {
            if (merged.containsKey(task)) {
                return;
            }
            boolean missedBefore = last.state() == WorkUnitState.UNKNOWN && last.endedAt() != null;
            if (!missedBefore) {
                merged.put(task, new UnitStatus(WorkUnitState.UNKNOWN, null, last.startedAt(), now,
                        "left the queue; its accounting record is not there yet"));
            } else if (accounting.kept() && last.startedAt() == null && now.isAfter(last.endedAt().plus(accounting.lag()))) {
                merged.put(task, new UnitStatus(WorkUnitState.CANCELLED, null, null, last.endedAt(), "deleted before it started"));
            } else {
                merged.put(task, last); // a task seen running will have a record; without accounting, nothing will tell
            }
        });
        return merged;
    }

    private static void forEachTask(String tasks, Consumer<Integer> action) {
        for (String part : tasks.split(",")) {
            Matcher m = RANGE.matcher(part.strip());
            if (!m.matches()) {
                continue;
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            int step = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            for (int t = from; t <= to; t += step) {
                action.accept(t);
            }
        }
    }

    private static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    private static int leadingInt(String field) {
        Matcher m = LEADING_INT.matcher(field == null ? "" : field);
        return m.find() ? Integer.parseInt(m.group()) : -1;
    }

    /** "HH:MM:SS" or seconds (sge_types(5), time_specifier). */
    static Duration duration(String value) {
        String[] p = value.split(":");
        long s = 0;
        for (String part : p) {
            s = s * 60 + Long.parseLong(part.isEmpty() ? "0" : part);
        }
        return Duration.ofSeconds(s);
    }

    /** qstat -xml prints local times as 2026-11-21T12:47:58; it runs with TZ=UTC (SgeScheduler.UTC). */
    private static Instant isoTime(String field) {
        try {
            return field == null ? null : LocalDateTime.parse(field).atZone(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** qacct prints local times as "Sat Nov 21 12:47:58 2026" (here UTC), or "-/-" for a task that never started. */
    static Instant qacctTime(String field) {
        try {
            return field == null ? null
                    : LocalDateTime.parse(field.strip().replaceAll("\\s+", " "), QACCT_TIME).atZone(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
