package xmrun.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code xmrun results} as SQL: one row per unit, one column per sweep axis and per result key, sorted and
 * cut by SQLite, every row joined into one text so the driver crosses into Java once, not once per cell
 * (a 100,000-unit table would otherwise cost a second in the driver alone). Cells come back as JSON text
 * ({@code 0.001}, {@code "m2"}, {@code true}), so numbers keep their form and the caller knows a string.
 */
final class ResultsQuery {
    /** Between cells and between rows: JSON text escapes these, job names and states cannot hold them. */
    static final char CELL = '\u001f';
    static final char ROW = '\u001e';

    private final Connection db;
    private final long experimentId;

    ResultsQuery(Connection db, long experimentId) {
        this.db = db;
        this.experimentId = experimentId;
    }

    /**
     * The sweep's axes, as each job recorded them at launch (launcher order), or the result keys units reported,
     * in the order they first appear: both kept as they are written, so no unit's row is read here.
     */
    List<String> keys(boolean results) throws SQLException {
        String sql = results
                ? "SELECT key FROM result_keys WHERE experiment_id = ? ORDER BY first_unit, position"
                : "SELECT a.value FROM jobs j, json_each(j.settings, '$.axes') a WHERE j.experiment_id = ? GROUP BY a.value"
                + " ORDER BY MIN(j.rowid), MIN(a.id)";
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setLong(1, experimentId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    /** A JSON path naming one key, whatever it holds (json1: "$.\"key\"" with \" and \\ escaped). */
    static String path(String key) {
        return "$.\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The rows as lists of JSON-text cells: WU, JOB, STATE, then one per column ({@code null} text for a value a
     * unit does not have), sorted by {@code sortColumn} (an index into the columns; -1 for unit order).
     *
     * @param columns each column: its key and whether it is a result (else a sweep value)
     */
    List<List<String>> rows(List<Column> columns, int sortColumn, boolean descending, int limit) throws SQLException {
        List<String> binds = new ArrayList<>();
        StringBuilder cells = new StringBuilder("CAST(u.id AS TEXT) || char(31) || u.job || char(31) || u.state");
        for (Column c : columns) {
            cells.append(" || char(31) || coalesce(").append(c.result() ? "r.data" : "u.point").append(" -> ?, '')");
            binds.add(path(c.key()));
        }
        String key = "NULL";
        if (sortColumn >= 0) {
            Column c = columns.get(sortColumn);
            key = "(" + (c.result() ? "r.data" : "u.point") + " ->> ?)";
            binds.add(path(c.key()));
        }
        // the same order twice: the inner one picks the rows a LIMIT keeps, the aggregate's lays them out
        String order = "k " + (descending ? "DESC" : "ASC") + " NULLS LAST, id";
        String sql = "SELECT group_concat(line, char(30) ORDER BY " + order + ") FROM (SELECT " + cells + " AS line, " + key
                + " AS k, u.id AS id FROM work_units u"
                + " LEFT JOIN results r ON r.experiment_id = u.experiment_id AND r.work_unit_id = u.id AND r.attempt = u.attempt"
                + " WHERE u.experiment_id = ? ORDER BY " + order + (limit > 0 ? " LIMIT " + limit : "") + ")";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            int i = 1;
            for (String b : binds) {
                p.setString(i++, b);
            }
            p.setLong(i, experimentId);
            try (ResultSet r = p.executeQuery()) {
                String all = r.next() ? r.getString(1) : null;
                return split(all, columns.size() + 3);
            }
        }
    }

    /** A sweep value or a result, by key. */
    record Column(String key, boolean result) {
    }

    private static List<List<String>> split(String all, int width) {
        List<List<String>> rows = new ArrayList<>();
        if (all == null || all.isEmpty()) {
            return rows;
        }
        int start = 0;
        while (start <= all.length()) {
            int end = all.indexOf(ROW, start);
            if (end < 0) {
                end = all.length();
            }
            List<String> row = new ArrayList<>(width);
            int c = start;
            while (true) {
                int next = all.indexOf(CELL, c);
                if (next < 0 || next > end) {
                    row.add(all.substring(c, end));
                    break;
                }
                row.add(all.substring(c, next));
                c = next + 1;
            }
            rows.add(row);
            start = end + 1;
        }
        return rows;
    }
}
