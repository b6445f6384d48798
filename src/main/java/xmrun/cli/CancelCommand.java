package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import xmrun.app.StatusService;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.time.Duration;
import java.util.List;

@Command(name = "cancel", description = "Cancel an experiment's work units that have not ended (all, or one).")
final class CancelCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "EXP", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String experiment;

    @Parameters(index = "1", arity = "0..1", paramLabel = "WU", description = "work unit id (default: all)")
    Integer unit;

    @Override
    Integer run() throws InterruptedException {
        try (ExperimentStore store = openStore()) {
            StatusService status = statusService(store);
            ExperimentRecord exp = status.find(experiment);
            List<WorkUnitRecord> units = status.refresh(exp);
            if (unit != null) {
                units = List.of(status.unit(exp, unit));
            }
            long open = units.stream().filter(u -> !u.state().isFinal()).count();
            List<WorkUnitRecord> after = status.cancel(exp, units, Duration.ofSeconds(10));
            context.out().printf("experiment %d: cancelled %d work unit%s; now %s%n", exp.id(), open, open == 1 ? "" : "s",
                    StatusTable.summary(StatusTable.counts(after)));
            return 0;
        }
    }
}
