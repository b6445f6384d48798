package xmrun.cli;

import groovy.json.JsonSlurper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.ResultsTable;
import xmrun.app.StatusService;
import xmrun.model.ArgFormat;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "results", description = "Sweep values and reported results, one row per work unit (default: the newest experiment).")
final class ResultsCommand extends XmrunSubcommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "EXP", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String experiment;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--csv", description = "print CSV (RFC 4180)")
    boolean csv;

    @Option(names = "--sort", paramLabel = "[-]KEY", description = "sort by a column (an axis or a result); -KEY for descending")
    String sort;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N rows")
    int limit;

    @Override
    Integer run() {
        if (json && csv) {
            throw new xmrun.UserError("xmrun: --json and --csv cannot be used together");
        }
        try (ExperimentStore store = openStore()) {
            StatusService status = statusService(store);
            ExperimentRecord exp = status.find(experiment);
            List<WorkUnitRecord> units = status.refresh(exp);
            ResultsTable table = ResultsTable.of(units, parse(store.latestResults(exp.id())));
            if (sort != null) {
                table = table.sortedBy(sort);
            }
            table = table.first(limit);
            PrintWriter out = context.out();
            if (json) {
                out.println(Json.of(table.asMaps()));
            } else if (csv) {
                printCsv(table, out);
            } else {
                printTable(table, out);
            }
            out.flush();
            return 0;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, Map<String, Object>> parse(Map<Integer, String> json) {
        Map<Integer, Map<String, Object>> out = new LinkedHashMap<>();
        JsonSlurper slurper = new JsonSlurper();
        json.forEach((id, text) -> out.put(id, (Map<String, Object>) slurper.parseText(text)));
        return out;
    }

    private static List<String> cells(ResultsTable table, ResultsTable.Row r) {
        List<String> cells = new ArrayList<>(List.of(Integer.toString(r.workUnit()), r.job(), r.state()));
        for (String c : table.columns().subList(3, table.columns().size())) {
            Object v = r.results().containsKey(c) ? r.results().get(c) : r.values().get(c);
            cells.add(v == null ? "" : v instanceof Map || v instanceof List ? groovy.json.JsonOutput.toJson(v) : ArgFormat.value(v));
        }
        return cells;
    }

    private static void printTable(ResultsTable table, PrintWriter out) {
        List<String> header = table.columns();
        int[] width = header.stream().mapToInt(String::length).toArray();
        List<List<String>> rows = new ArrayList<>();
        for (ResultsTable.Row r : table.rows()) {
            List<String> cells = cells(table, r).stream().map(c -> c.isEmpty() ? "-" : c.replace("\n", "\\n")).toList();
            for (int i = 0; i < cells.size(); i++) {
                width[i] = Math.max(width[i], cells.get(i).length());
            }
            rows.add(cells);
        }
        out.println(line(header, width));
        rows.forEach(r -> out.println(line(r, width)));
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(i == 0 ? "" : "  ").append(i == 0 ? " ".repeat(width[i] - c.length()) + c : c + " ".repeat(width[i] - c.length()));
        }
        return sb.toString().stripTrailing();
    }

    private static void printCsv(ResultsTable table, PrintWriter out) {
        out.print(csvLine(table.columns()));
        for (ResultsTable.Row r : table.rows()) {
            out.print(csvLine(cells(table, r)));
        }
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; lines end in CRLF. */
    static String csvLine(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String c : cells) {
            boolean quote = c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r");
            quoted.add(quote ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        return String.join(",", quoted) + "\r\n";
    }
}
