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
        print(exp, units, images, Spread.NONE, out);
    }

    /**
     * Where the jobs of an experiment launched on several clusters went: each job's cluster, and what each candidate
     * answered for each chain of jobs (by the chain's first job). Empty for an experiment on one cluster.
     */
    record Spread(Map<String, String> jobClusters, List<xmrun.store.ExperimentStore.EstimateRecord> estimates) {
        static final Spread NONE = new Spread(Map.of(), List.of());

        static Spread of(xmrun.store.ExperimentStore store, ExperimentRecord exp) {
            return new Spread(store.jobClusters(exp.id()), store.estimates(exp.id()));
        }

        boolean spread() {
            return !jobClusters.isEmpty();
        }
    }

    static void print(ExperimentRecord exp, List<WorkUnitRecord> units, List<ImagePin> images, Spread spread, PrintWriter out) {
        out.printf("experiment %d '%s' on %s: %s%n", exp.id(), exp.name(), exp.cluster(), summary(counts(units)));
        if (spread.spread()) {
            PlacementText.print(spread.estimates(), spread.jobClusters(), out);
        }
        for (ImagePin i : images) {
            out.printf("  job %s runs in %s %s, %s%n", i.job(), i.runtime(), i.reference(),
                    i.pinned() ? "pinned as " + i.digest() : "not pinned");
        }
        int reasonWidth = Math.min(REASON_MAX, units.stream().mapToInt(u -> u.reason() == null ? 1 : u.reason().length())
                .reduce(6, Math::max));
        // TRY appears once some unit has run again: its latest attempt's number
        boolean retried = units.stream().anyMatch(u -> u.attempt() > 1);
        // CLUSTER appears when the experiment was launched on several clusters: where each unit went
        int clusterWidth = spread.jobClusters().values().stream().mapToInt(String::length).reduce(7, Math::max);
        Row row = new Row(spread.spread() ? clusterWidth : -1, retried, reasonWidth);
        out.print(row.of("WU", "JOB", "CLUSTER", "STATE", "TRY", "EXIT", "RUNTIME", "REASON", "COMMAND"));
        for (WorkUnitRecord u : units) {
            out.print(row.of(Integer.toString(u.id()), u.job(), spread.jobClusters().getOrDefault(u.job(), "-"), u.state().name(),
                    Integer.toString(u.attempt()), u.exitCode() == null ? "-" : u.exitCode().toString(), runtime(u),
                    u.reason() == null ? "-" : abbreviate(u.reason(), REASON_MAX), abbreviate(ShellQuote.join(u.argv()), 70)));
        }
        out.flush();
    }

    private static final int REASON_MAX = 28;

    /**
     * A line of the table, padded by hand: a Formatter parses its pattern on every call, a tenth of a 1000-unit status.
     * The CLUSTER column only when {@code clusterWidth >= 0}, TRY only when some unit ran again.
     */
    private record Row(int clusterWidth, boolean retried, int reasonWidth) {
        String of(String id, String job, String cluster, String state, String attempt, String exit, String runtime, String reason,
                  String command) {
            StringBuilder b = new StringBuilder(160);
            right(b, id, 5).append("  ");
            left(b, job, 16).append(' ');
            if (clusterWidth >= 0) {
                left(b, cluster, clusterWidth).append(' ');
            }
            left(b, state, 10).append(' ');
            if (retried) {
                right(b, attempt, 3).append(' ');
            }
            right(b, exit, 5).append(' ');
            right(b, runtime, 9).append("  ");
            left(b, reason, reasonWidth).append("  ");
            return b.append(command).append(System.lineSeparator()).toString();
        }

        private static StringBuilder left(StringBuilder b, String s, int width) {
            b.append(s);
            return b.append(" ".repeat(Math.max(0, width - s.length())));
        }

        private static StringBuilder right(StringBuilder b, String s, int width) {
            return b.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
        }
    }

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
        return json(exp, units, images, earlier, Spread.NONE, Map.of());
    }

    /** @param workDirs each cluster's work dir, of an experiment launched on several (then units say their cluster) */
    static Map<String, Object> json(ExperimentRecord exp, List<WorkUnitRecord> units, List<ImagePin> images,
                                    Map<Integer, List<xmrun.store.ExperimentStore.AttemptRecord>> earlier, Spread spread,
                                    Map<String, String> workDirs) {
        Map<String, Object> m = ListCommand.json(exp, counts(units));
        if (spread.spread()) {
            m.put("workDirs", workDirs);
            m.put("estimates", spread.estimates().stream().map(e -> {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("job", e.job());
                j.put("cluster", e.cluster());
                j.put("start", str(e.start()));
                j.put("delaySeconds", e.delay());
                j.put("refusal", e.refusal());
                j.put("chosen", e.chosen());
                return j;
            }).toList());
        }
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
            if (spread.spread()) {
                j.put("cluster", spread.jobClusters().get(u.job()));
            }
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
