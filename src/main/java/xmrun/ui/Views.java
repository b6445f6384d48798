package xmrun.ui;

import groovy.json.JsonOutput;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore.ResultsView;
import xmrun.store.WorkUnitRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the JSON endpoints answer, built from the store's records (keys in a fixed order). */
final class Views {
    private Views() {
    }

    static Map<String, Object> experiment(ExperimentRecord e, Map<WorkUnitState, Integer> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("name", e.name());
        m.put("cluster", e.cluster());
        m.put("createdAt", e.createdAt().toString());
        Map<String, Integer> states = new LinkedHashMap<>();
        counts.forEach((s, n) -> states.put(s.name(), n));
        m.put("states", states);
        return m;
    }

    /** The page's units in order, {@code from} on, at most {@code limit} of them: a 100,000-unit sweep is polled a page at a time. */
    static Map<String, Object> units(ExperimentRecord e, Refreshers.Snapshot s, int from, int limit) {
        List<WorkUnitRecord> all = s.units();
        int start = Math.min(Math.max(0, from), all.size());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", experiment(e, counts(all)));
        m.put("refreshedAt", time(s.at()));
        m.put("error", s.error());
        m.put("total", all.size());
        m.put("from", start);
        m.put("units", all.subList(start, Math.min(all.size(), start + limit)).stream().map(Views::unit).toList());
        return m;
    }

    static Map<WorkUnitState, Integer> counts(List<WorkUnitRecord> units) {
        Map<WorkUnitState, Integer> counts = new java.util.EnumMap<>(WorkUnitState.class);
        units.forEach(u -> counts.merge(u.state(), 1, Integer::sum));
        return counts;
    }

    static Map<String, Object> unit(WorkUnitRecord u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("job", u.job());
        m.put("state", u.state().name());
        m.put("final", u.state().isFinal());
        m.put("exitCode", u.exitCode());
        m.put("reason", u.reason());
        m.put("attempt", u.attempt());
        m.put("schedulerId", u.schedulerId());
        m.put("startedAt", time(u.startedAt()));
        m.put("endedAt", time(u.endedAt()));
        m.put("point", u.point());
        return m;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /**
     * The rows of {@code xmrun results}: {@code columns} (WU, JOB, STATE, then the axes, then the metrics) and one
     * array per unit, sweep values and results as they were reported (numbers stay numbers), null where a unit has none.
     */
    static String results(ResultsView view) {
        StringBuilder sb = new StringBuilder("{\"axes\": ").append(JsonOutput.toJson(view.axes()))
                .append(", \"metrics\": ").append(JsonOutput.toJson(view.metrics()))
                .append(", \"columns\": ").append(JsonOutput.toJson(view.columns()))
                .append(", \"rows\": [");
        boolean firstRow = true;
        for (List<String> row : view.rows()) {
            sb.append(firstRow ? "\n" : ",\n").append('[').append(row.get(0)).append(", ").append(JsonOutput.toJson(row.get(1)))
                    .append(", ").append(JsonOutput.toJson(row.get(2)));
            for (String cell : row.subList(3, row.size())) {
                sb.append(", ").append(cell.isEmpty() ? "null" : cell); // the store keeps each value as JSON text
            }
            sb.append(']');
            firstRow = false;
        }
        return sb.append("]}").toString();
    }
}
