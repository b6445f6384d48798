package xmrun.cli;

import groovy.json.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.StatusService;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.ExperimentStore.ResultsView;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

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
            status.update(exp); // states, results and retries as of now
            ResultsView view = store.results(exp.id(), sort, limit);
            StringBuilder text = json ? json(view) : csv ? csv(view) : table(view);
            PrintWriter out = context.out();
            out.print(text); // one write: a 100,000-row table printed line by line would flush each line
            out.flush();
            return 0;
        }
    }

    /** Each row as an object, its values and results as they were reported (numbers stay numbers). */
    private static StringBuilder json(ResultsView view) {
        StringBuilder sb = new StringBuilder("[");
        int axes = view.axes().size();
        for (List<String> row : view.rows()) {
            sb.append(sb.length() == 1 ? "\n  " : ",\n  ");
            sb.append("{\"workUnit\": ").append(row.get(0)).append(", \"job\": ").append(JsonOutput.toJson(row.get(1)))
                    .append(", \"state\": ").append(JsonOutput.toJson(row.get(2)));
            object(sb.append(", \"values\": "), view.axes(), row.subList(3, 3 + axes));
            object(sb.append(", \"results\": "), view.metrics(), row.subList(3 + axes, row.size()));
            sb.append('}');
        }
        return sb.append(view.rows().isEmpty() ? "]\n" : "\n]\n");
    }

    private static void object(StringBuilder sb, List<String> keys, List<String> cells) {
        sb.append('{');
        boolean first = true;
        for (int i = 0; i < keys.size(); i++) {
            if (!cells.get(i).isEmpty()) {
                sb.append(first ? "" : ", ").append(JsonOutput.toJson(keys.get(i))).append(": ").append(cells.get(i));
                first = false;
            }
        }
        sb.append('}');
    }

    private static List<String> cells(List<String> row) {
        List<String> out = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
            out.add(i < 3 ? row.get(i) : ResultsView.text(row.get(i)));
        }
        return out;
    }

    private static StringBuilder table(ResultsView view) {
        List<String> header = view.columns();
        int[] width = header.stream().mapToInt(String::length).toArray();
        List<List<String>> rows = new ArrayList<>(view.rows().size());
        for (List<String> row : view.rows()) {
            List<String> cells = cells(row).stream().map(c -> c.isEmpty() ? "-" : c.replace("\n", "\\n")).toList();
            for (int i = 0; i < cells.size(); i++) {
                width[i] = Math.max(width[i], cells.get(i).length());
            }
            rows.add(cells);
        }
        StringBuilder sb = new StringBuilder(line(header, width)).append('\n');
        rows.forEach(r -> sb.append(line(r, width)).append('\n'));
        return sb;
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(i == 0 ? "" : "  ").append(i == 0 ? " ".repeat(width[i] - c.length()) + c : c + " ".repeat(width[i] - c.length()));
        }
        return sb.toString().stripTrailing();
    }

    private static StringBuilder csv(ResultsView view) {
        StringBuilder sb = new StringBuilder(csvLine(view.columns()));
        view.rows().forEach(r -> sb.append(csvLine(cells(r))));
        return sb;
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
