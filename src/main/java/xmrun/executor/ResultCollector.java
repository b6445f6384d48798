package xmrun.executor;

import groovy.json.JsonSlurper;
import xmrun.Failure;
import xmrun.transport.ExecResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what ended work units reported: the {@code XM_RESULT {...}} lines each attempt's script kept in
 * {@code results[.N]} (or, when it was killed before it could, the lines in its stdout and stderr), then
 * {@code result.json}. One command for every unit asked about, however many: the ids go as ranges.
 * Several lines merge, later keys win; result.json comes last.
 */
public final class ResultCollector {
    /**
     * $1 the experiment's work dir, then FIRST-LAST:ATTEMPT ranges. Prints "L PATH:XM_RESULT {...}" for each
     * reported line and "J PATH<TAB>LINE" for each line of a result.json.
     */
    static final String COLLECT = """
            dir=$1; shift
            for spec; do
              att=${spec##*:}; ids=${spec%:*}; first=${ids%-*}; last=${ids#*-}
              if [ "$att" = 1 ]; then sfx=; else sfx=.$att; fi
              # the lines the unit's script kept or, when it was killed before it could keep them, its output
              seq -f "$dir/wu/%g" "$first" "$last" | while read -r d; do
                if [ -f "$d/results$sfx" ]; then echo "$d/results$sfx"; else echo "$d/stdout$sfx"; echo "$d/stderr$sfx"; fi
              done | xargs -r -d '\n' grep -asH '^XM_RESULT ' | sed 's/^/L /'
              seq -f "$dir/wu/%g/result.json" "$first" "$last" | while read -r f; do [ -f "$f" ] && echo "$f"; done |
                xargs -r -d '\n' awk '{ print "J " FILENAME "\t" $0 }'
            done
            exit 0
            """;

    private static final Pattern LINE = Pattern.compile("^L .*/wu/(\\d+)/(?:results|stdout|stderr)(?:\\.\\d+)?:XM_RESULT (.*)$");
    private static final Pattern JSON = Pattern.compile("^J .*/wu/(\\d+)/result\\.json\t(.*)$");

    private final Cluster cluster;

    public ResultCollector(Cluster cluster) {
        this.cluster = cluster;
    }

    /** @param attempts unit id -> the attempt whose results to read; returns what each reported (units that reported nothing are left out) */
    public Map<Integer, Map<String, Object>> collect(String workDir, Map<Integer, Integer> attempts) {
        if (attempts.isEmpty()) {
            return Map.of();
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", COLLECT, "xmrun-results", workDir));
        argv.addAll(ranges(attempts));
        ExecResult r = cluster.transport().run(argv);
        if (!r.ok()) {
            throw new Failure("cannot read the work units' results: " + r.stderr().strip());
        }
        return parse(r.stdout());
    }

    /** Consecutive ids with the same attempt become one FIRST-LAST:ATTEMPT. */
    static List<String> ranges(Map<Integer, Integer> attempts) {
        List<String> out = new ArrayList<>();
        int first = -1;
        int last = -1;
        int attempt = -1;
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(attempts).entrySet()) {
            if (e.getKey() == last + 1 && e.getValue() == attempt) {
                last = e.getKey();
                continue;
            }
            if (first >= 0) {
                out.add(first + "-" + last + ":" + attempt);
            }
            first = e.getKey();
            last = first;
            attempt = e.getValue();
        }
        out.add(first + "-" + last + ":" + attempt);
        return out;
    }

    static Map<Integer, Map<String, Object>> parse(String out) {
        Map<Integer, Map<String, Object>> values = new LinkedHashMap<>();
        Map<Integer, StringBuilder> files = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                merge(values, Integer.parseInt(m.group(1)), m.group(2));
                continue;
            }
            m = JSON.matcher(line);
            if (m.matches()) {
                files.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new StringBuilder()).append(m.group(2)).append('\n');
            }
        }
        files.forEach((id, text) -> merge(values, id, text.toString())); // result.json last: its keys win
        return values;
    }

    /** A JSON object is merged in; anything else (a typo in a program's print) is skipped rather than failing status. */
    @SuppressWarnings("unchecked")
    private static void merge(Map<Integer, Map<String, Object>> into, int id, String json) {
        try {
            Object parsed = new JsonSlurper().parseText(json);
            if (parsed instanceof Map<?, ?> m) {
                into.computeIfAbsent(id, k -> new LinkedHashMap<>()).putAll((Map<String, Object>) m);
            }
        } catch (RuntimeException ignored) {
            // not JSON: not a result
        }
    }
}
