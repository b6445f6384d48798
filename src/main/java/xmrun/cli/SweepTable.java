package xmrun.cli;

import xmrun.model.ArgFormat;
import xmrun.model.Sweep;
import xmrun.render.ShellQuote;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code xmrun sweep}'s table: a row per point, a column per axis, '-' where a point lacks an axis. */
final class SweepTable {
    private final PrintWriter out;
    private final int limit;

    SweepTable(PrintWriter out, int limit) {
        this.out = out;
        this.limit = limit;
    }

    void print(SweepReport report) {
        if (report.experiment() != null) {
            out.printf("experiment '%s' (%s): %s, %s%n", report.experiment(), report.file(),
                    count(report.sections().size(), "job"), count(report.workUnits(), "work unit"));
        }
        for (SweepReport.Section s : report.sections()) {
            String what = s.job() == null ? report.file() + ": " + count(s.sweep().size(), "point")
                    : "job " + s.job() + ": " + count(s.sweep().size(), "work unit");
            if (s.sweep().names().isEmpty()) {
                out.println(what + ", no sweep");
                continue;
            }
            out.println(what + " over " + String.join(", ", s.sweep().names()));
            printRows(s);
        }
        out.flush();
    }

    private void printRows(SweepReport.Section s) {
        Sweep sweep = s.sweep();
        SweepReport.Shown shown = new SweepReport.Shown(sweep.size(), limit);
        boolean ids = s.job() != null;
        List<String> header = new ArrayList<>();
        if (ids) {
            header.add("WU");
        }
        header.add("#");
        header.addAll(sweep.names());
        int[] width = header.stream().mapToInt(String::length).toArray();
        shown.indices().forEach(i -> { // a first pass for the widths: rows are recomputed, not kept
            List<String> row = row(s, i, ids);
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        });
        int numbers = ids ? 2 : 1;
        out.println(line(header, width, numbers));
        shown.indices().forEach(i -> {
            if (i == shown.tailStart() && shown.omitted() > 0) {
                out.printf("  ... %,d more point%s ...%n", shown.omitted(), shown.omitted() == 1 ? "" : "s");
            }
            out.println(line(row(s, i, ids), width, numbers));
        });
    }

    private static List<String> row(SweepReport.Section s, long index, boolean ids) {
        Map<String, Object> point = s.sweep().point(index);
        List<String> row = new ArrayList<>();
        if (ids) {
            row.add(String.valueOf(s.firstWorkUnit() + index));
        }
        row.add(String.valueOf(index));
        for (String name : s.sweep().names()) {
            row.add(point.containsKey(name) ? cell(point.get(name)) : "-");
        }
        return row;
    }

    /** The value as the program gets it, quoted the way --dry-run quotes it when a shell would need that. */
    private static String cell(Object value) {
        return ShellQuote.quote(ArgFormat.value(value)).replace("\n", "\\n");
    }

    /** Numbers right-aligned, values left-aligned; a value never ends in a space (it would be quoted). */
    private static String line(List<String> cells, int[] width, int numbers) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            sb.append("  ").append(c < numbers ? pad + cell : cell + pad);
        }
        return sb.toString().stripTrailing();
    }

    private static String count(long n, String noun) {
        return String.format("%,d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
