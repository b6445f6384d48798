package xmrun.app;

import xmrun.store.WorkUnitRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code xmrun results}: one row per work unit with its sweep values (as launched, not parsed from argv)
 * and what its latest attempt reported, one column per axis and per result key, in first-seen order.
 */
public record ResultsTable(List<String> axes, List<String> metrics, List<Row> rows) {

    public record Row(int workUnit, String job, String state, Map<String, Object> values, Map<String, Object> results) {
        /** A sweep value or a result by its name; WU, JOB and STATE name the unit's own columns. */
        Object get(String key) {
            return switch (key) {
                case "WU" -> workUnit;
                case "JOB" -> job;
                case "STATE" -> state;
                default -> results.containsKey(key) ? results.get(key) : values.get(key);
            };
        }
    }

    public static ResultsTable of(List<WorkUnitRecord> units, Map<Integer, Map<String, Object>> results) {
        Set<String> axes = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        List<Row> rows = new ArrayList<>(units.size());
        for (WorkUnitRecord u : units) {
            Map<String, Object> r = results.getOrDefault(u.id(), Map.of());
            axes.addAll(u.point().keySet());
            metrics.addAll(r.keySet());
            rows.add(new Row(u.id(), u.job(), u.state().name(), u.point(), r));
        }
        return new ResultsTable(List.copyOf(axes), List.copyOf(metrics), rows);
    }

    public List<String> columns() {
        List<String> c = new ArrayList<>(List.of("WU", "JOB", "STATE"));
        c.addAll(axes);
        metrics.stream().filter(m -> !axes.contains(m)).forEach(c::add);
        return c;
    }

    /**
     * Sorted by a column, {@code -KEY} for descending; numbers as numbers, text as text, and rows without
     * the value last either way (a unit that reported nothing never wins a sort).
     */
    public ResultsTable sortedBy(String spec) {
        boolean descending = spec.startsWith("-");
        String key = descending ? spec.substring(1) : spec;
        if (!columns().contains(key)) {
            throw new xmrun.UserError("no column '" + key + "' to sort by" + xmrun.model.Suggest.didYouMean(key, columns())
                    + " (columns: " + String.join(", ", columns()) + ")");
        }
        Comparator<Object> values = ResultsTable::compare;
        Comparator<Row> byKey = Comparator.comparing(r -> r.get(key), Comparator.nullsLast(descending ? values.reversed() : values));
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(byKey.thenComparingInt(Row::workUnit));
        return new ResultsTable(axes, metrics, sorted);
    }

    public ResultsTable first(int limit) {
        return limit <= 0 || limit >= rows.size() ? this : new ResultsTable(axes, metrics, rows.subList(0, limit));
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString()));
        }
        if (a instanceof Number) {
            return -1; // numbers before text in a column that mixes them
        }
        if (b instanceof Number) {
            return 1;
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** Each row as a map, column order kept, for --json. */
    public List<Map<String, Object>> asMaps() {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workUnit", r.workUnit());
            m.put("job", r.job());
            m.put("state", r.state());
            m.put("values", r.values());
            m.put("results", r.results());
            out.add(m);
        }
        return out;
    }
}
