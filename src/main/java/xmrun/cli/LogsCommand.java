package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.LogFollower;
import xmrun.app.Patience;
import xmrun.app.StatusService;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

@Command(name = "logs", description = "Print a work unit's stdout (to stdout) and stderr (to stderr).")
final class LogsCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "EXP", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String experiment;

    @Parameters(index = "1", arity = "0..1", paramLabel = "WU", description = "work unit id (default: every unit, with headers)")
    Integer unit;

    @Option(names = {"-f", "--follow"}, description = "keep printing new output until the work unit ends")
    boolean follow;

    @Option(names = "--attempt", paramLabel = "K", description = "an earlier attempt's output (default: the latest)")
    int attempt;

    @Option(names = "--scheduler", description = "what the scheduler itself wrote for the unit (time limits, OOM kills, node failures)")
    boolean scheduler;

    @Override
    Integer run() throws Exception {
        try (ExperimentStore store = openStore()) {
            StatusService status = statusService(store);
            ExperimentRecord exp = status.find(experiment);
            List<WorkUnitRecord> units = unit != null ? List.of(status.unit(exp, unit)) : store.workUnits(exp.id());
            LogFollower logs = new LogFollower(status, follow ? patience() : Patience.NONE);
            LogFollower.Which which = new LogFollower.Which(attempt, scheduler);
            LogFollower.Sinks sinks = new LogFollower.Sinks(b -> print(context.out(), b), b -> print(context.err(), b));
            if (follow) {
                if (units.size() != 1) {
                    throw new xmrun.UserError("logs -f follows one work unit: xmrun logs " + exp.id() + " WU");
                }
                logs.follow(exp, units.get(0), which, sinks);
                return 0;
            }
            for (WorkUnitRecord u : units) {
                if (units.size() > 1) {
                    context.out().printf("==> work unit %d (%s) <==%n", u.id(), u.job());
                    context.out().flush();
                }
                logs.copy(exp, u, which, sinks);
            }
            return 0;
        }
    }

    private static void print(PrintWriter to, byte[] bytes) {
        to.print(new String(bytes, StandardCharsets.UTF_8));
        to.flush();
    }
}
