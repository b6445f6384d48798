package xmrun.cli;

import xmrun.model.ImagePin;
import xmrun.render.ShellQuote;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The human and JSON forms of an experiment's work units. */
final class StatusTable {
    private StatusTable() {
    }

    static void print(ExperimentRecord exp, List<WorkUnitRecord> units, PrintWriter out) {
        print(exp, units, List.of(), out);
    }

    static void print(ExperimentRecord exp, List<WorkUnitRecord> units, List<ImagePin> images, PrintWriter out) {
        out.printf("experiment %d '%s' on %s: %s%n", exp.id(), exp.name(), exp.cluster(), summary(counts(units)));
        for (ImagePin i : images) {
            out.printf("  job %s runs in %s %s, %s%n", i.job(), i.runtime(), i.reference(),
                    i.pinned() ? "pinned as " + i.digest() : "not pinned");
        }
        int reasonWidth = Math.min(REASON_MAX, units.stream().mapToInt(u -> u.reason() == null ? 1 : u.reason().length())
                .reduce(6, Math::max));
        // TRY appears once some unit has run again: its latest attempt's number
        boolean retried = units.stream().anyMatch(u -> u.attempt() > 1);
        String row = "%5s  %-16s %-10s " + (retried ? "%3s " : "%s") + "%5s %9s  %-" + reasonWidth + "s  %s%n";
        out.printf(row, "WU", "JOB", "STATE", retried ? "TRY" : "", "EXIT", "RUNTIME", "REASON", "COMMAND");
        for (WorkUnitRecord u : units) {
            out.printf(row, u.id(), u.job(), u.state(), retried ? u.attempt() : "", u.exitCode() == null ? "-" : u.exitCode(), runtime(u),
                    u.reason() == null ? "-" : abbreviate(u.reason(), REASON_MAX), abbreviate(ShellQuote.join(u.argv()), 70));
        }
        out.flush();
    }

    private static final int REASON_MAX = 28;

    static Map<WorkUnitState, Integer> counts(List<WorkUnitRecord> units) {
        Map<WorkUnitState, Integer> counts = new EnumMap<>(WorkUnitState.class);
        units.forEach(u -> counts.merge(u.state(), 1, Integer::sum));
        return counts;
    }

    static String summary(Map<WorkUnitState, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((state, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(state.name().toLowerCase()));
        return sb.length() == 0 ? "no work units" : sb.toString();
    }

    /**
     * With {@code containers}: for each container job, the image it runs and the digest that was pinned at launch;
     * with each unit run again, its earlier attempts.
     */
    static Map<String, Object> json(ExperimentRecord exp, List<WorkUnitRecord> units, List<ImagePin> images,
                                    Map<Integer, List<xmrun.store.ExperimentStore.AttemptRecord>> earlier) {
        Map<String, Object> m = ListCommand.json(exp, counts(units));
        Map<String, Object> containers = new LinkedHashMap<>();
        for (ImagePin i : images) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("runtime", i.runtime());
            c.put("image", i.reference());
            c.put("digest", i.digest());
            c.put("runs", i.image());
            c.put("note", i.note());
            containers.put(i.job(), c);
        }
        m.put("containers", containers);
        m.put("workUnits", units.stream().map(u -> {
            Map<String, Object> j = json(u);
            if (earlier.containsKey(u.id())) {
                j.put("earlierAttempts", earlier.get(u.id()).stream().map(StatusTable::json).toList());
            }
            return j;
        }).toList());
        return m;
    }

    private static Map<String, Object> json(xmrun.store.ExperimentStore.AttemptRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", a.attempt());
        m.put("schedulerId", a.schedulerId());
        m.put("state", a.state().name());
        m.put("exitCode", a.exitCode());
        m.put("reason", a.reason());
        m.put("startedAt", str(a.startedAt()));
        m.put("endedAt", str(a.endedAt()));
        return m;
    }

    private static Map<String, Object> json(WorkUnitRecord u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("job", u.job());
        m.put("index", u.index());
        m.put("state", u.state().name());
        m.put("exitCode", u.exitCode());
        m.put("reason", u.reason());
        m.put("attempt", u.attempt());
        m.put("schedulerId", u.schedulerId());
        m.put("argv", u.argv());
        m.put("env", u.env());
        m.put("script", u.scriptPath());
        m.put("submittedAt", str(u.submittedAt()));
        m.put("startedAt", str(u.startedAt()));
        m.put("endedAt", str(u.endedAt()));
        return m;
    }

    static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String runtime(WorkUnitRecord u) {
        if (u.startedAt() == null) {
            return "-";
        }
        Duration d = Duration.between(u.startedAt(), u.endedAt() != null ? u.endedAt() : Instant.now());
        long s = Math.max(0, d.getSeconds());
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }

    private static String abbreviate(String s, int max) {
        String oneLine = s.replace("\n", "\\n");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }
}
