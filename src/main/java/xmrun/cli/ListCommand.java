package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "list", description = "List experiments, newest first, with their last known work unit states.")
final class ListCommand extends XmrunSubcommand {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    Integer run() {
        try (ExperimentStore store = openStore()) {
            List<ExperimentRecord> experiments = store.experiments();
            Map<Long, Map<WorkUnitState, Integer>> counts = store.stateCounts();
            if (json) {
                context.out().println(Json.of(experiments.stream().map(e -> json(e, counts.getOrDefault(e.id(), Map.of()))).toList()));
                return 0;
            }
            context.out().printf("%5s  %-20s %-10s %-16s  %s%n", "ID", "NAME", "CLUSTER", "CREATED", "WORK UNITS");
            for (ExperimentRecord e : experiments) {
                context.out().printf("%5d  %-20s %-10s %-16s  %s%n", e.id(), e.name(), e.cluster(), WHEN.format(e.createdAt()),
                        StatusTable.summary(counts.getOrDefault(e.id(), Map.of())));
            }
            return 0;
        }
    }

    static Map<String, Object> json(ExperimentRecord e, Map<WorkUnitState, Integer> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("name", e.name());
        m.put("cluster", e.cluster());
        m.put("launcher", e.launcher());
        m.put("workDir", e.workDir());
        m.put("createdAt", e.createdAt().toString());
        Map<String, Integer> states = new LinkedHashMap<>();
        counts.forEach((s, n) -> states.put(s.name(), n));
        m.put("states", states);
        return m;
    }
}
