package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.StatusService;
import xmrun.executor.Executor;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

@Command(name = "logs", description = "Print a work unit's stdout (to stdout) and stderr (to stderr).")
final class LogsCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "EXP", description = "experiment id")
    String experiment;

    @Parameters(index = "1", arity = "0..1", paramLabel = "WU", description = "work unit id (default: every unit, with headers)")
    Integer unit;

    @Option(names = {"-f", "--follow"}, description = "keep printing new output until the work unit ends")
    boolean follow;

    @Override
    Integer run() throws Exception {
        try (ExperimentStore store = openStore()) {
            StatusService status = statusService(store);
            ExperimentRecord exp = status.find(experiment);
            List<WorkUnitRecord> units = unit != null ? List.of(status.unit(exp, unit)) : store.workUnits(exp.id());
            Executor ex = clusters().executorFor(exp.cluster());
            if (follow) {
                if (units.size() != 1) {
                    throw new xmrun.UserError("logs -f follows one work unit: xmrun logs " + exp.id() + " WU");
                }
                follow(status, exp, units.get(0), ex);
                return 0;
            }
            for (WorkUnitRecord u : units) {
                if (units.size() > 1) {
                    context.out().printf("==> work unit %d (%s) <==%n", u.id(), u.job());
                    context.out().flush();
                }
                copy(ex, exp, u, Executor.Output.STDOUT, 0, context.out());
                copy(ex, exp, u, Executor.Output.STDERR, 0, context.err());
            }
            return 0;
        }
    }

    /**
     * Like tail -f on both files; stops once the unit is final and both files are drained. The files
     * are read four times a second, the scheduler asked every 2 s (a status call is dearer than a read).
     */
    private void follow(StatusService status, ExperimentRecord exp, WorkUnitRecord u, Executor ex) throws Exception {
        long outPos = 0;
        long errPos = 0;
        for (int tick = 0; ; tick++) {
            boolean done = tick % STATUS_EVERY_TICKS == 0
                    && status.refresh(exp).stream().filter(r -> r.id() == u.id()).allMatch(r -> r.state().isFinal());
            outPos = copy(ex, exp, u, Executor.Output.STDOUT, outPos, context.out());
            errPos = copy(ex, exp, u, Executor.Output.STDERR, errPos, context.err());
            if (done) {
                return;
            }
            Thread.sleep(TICK_MS);
        }
    }

    private static final long TICK_MS = 250;
    private static final int STATUS_EVERY_TICKS = 8;

    /** Copies the output from {@code from} to its end; returns the new position. A missing file is empty. */
    private static long copy(Executor ex, ExperimentRecord exp, WorkUnitRecord u, Executor.Output which, long from, PrintWriter to) {
        byte[] bytes = ex.transport().read(ex.outputPath(exp, u, which), from);
        to.print(new String(bytes, StandardCharsets.UTF_8));
        to.flush();
        return from + bytes.length;
    }
}
