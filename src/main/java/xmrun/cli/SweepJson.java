package xmrun.cli;

import groovy.json.JsonOutput;
import xmrun.model.Sweep;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code xmrun sweep --json}, written as it goes, one point per line: {@code --limit 0} on a sweep of
 * millions must not first build them all in memory.
 */
final class SweepJson {
    private final PrintWriter out;
    private final int limit;

    SweepJson(PrintWriter out, int limit) {
        this.out = out;
        this.limit = limit;
    }

    void print(SweepReport report) {
        out.println("{");
        out.println("  \"file\": " + JsonOutput.toJson(report.file()) + ",");
        if (report.experiment() != null) {
            out.println("  \"experiment\": " + JsonOutput.toJson(report.experiment()) + ",");
        }
        out.println("  \"sweeps\": [");
        for (int i = 0; i < report.sections().size(); i++) {
            section(report.sections().get(i));
            out.println(i < report.sections().size() - 1 ? "    }," : "    }");
        }
        out.println("  ]");
        out.println("}");
        out.flush();
    }

    private void section(SweepReport.Section s) {
        Sweep sweep = s.sweep();
        SweepReport.Shown shown = new SweepReport.Shown(sweep.size(), limit);
        out.println("    {");
        if (s.job() != null) {
            out.println("      \"job\": " + JsonOutput.toJson(s.job()) + ",");
        }
        out.println("      \"size\": " + sweep.size() + ",");
        out.println("      \"axes\": " + JsonOutput.toJson(sweep.names()) + ",");
        out.println("      \"omitted\": " + shown.omitted() + ",");
        out.print("      \"points\": [");
        boolean[] first = {true};
        shown.indices().forEach(i -> {
            out.print(first[0] ? "\n" : ",\n");
            first[0] = false;
            out.print("        " + JsonOutput.toJson(point(s, i)));
        });
        out.println(first[0] ? "]" : "\n      ]");
    }

    /** Values keep their types (numbers stay numbers); an axis the point lacks is left out. */
    private static Map<String, Object> point(SweepReport.Section s, long index) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.job() != null) {
            m.put("workUnit", s.firstWorkUnit() + index);
        }
        m.put("index", index);
        m.put("values", s.sweep().point(index));
        return m;
    }
}
