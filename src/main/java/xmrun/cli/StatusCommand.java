package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.Patience;
import xmrun.app.StatusService;
import xmrun.app.Watcher;
import xmrun.model.ImagePin;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;

import java.util.List;

@Command(name = "status", description = "Show an experiment's work units with their scheduler state (default: the newest).")
final class StatusCommand extends XmrunSubcommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "EXP", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String experiment;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--watch", description = "keep polling and reprint on every change until all work units are final")
    boolean watch;

    @Override
    Integer run() throws Exception {
        try (ExperimentStore store = openStore()) {
            StatusService status = statusService(store);
            ExperimentRecord exp = status.find(experiment);
            List<ImagePin> images = store.images(exp.id());
            Patience patience = patience();
            try {
                if (watch) {
                    new Watcher(status, patience).pollUntilFinal(exp, units -> print(store, exp, units, images));
                } else {
                    print(store, exp, patience.call(() -> status.refresh(exp)), images);
                }
            } catch (Patience.GaveUp e) {
                if (!json) {
                    context.out().println("last known states (the scheduler did not answer since):");
                }
                print(store, exp, store.workUnits(exp.id()), images);
                throw e;
            }
            return 0;
        }
    }

    private void print(ExperimentStore store, ExperimentRecord exp, List<xmrun.store.WorkUnitRecord> units, List<ImagePin> images) {
        StatusTable.Spread spread = StatusTable.Spread.of(store, exp);
        if (json) {
            context.out().println(Json.of(StatusTable.json(exp, units, images, store.earlierAttempts(exp.id()), spread,
                    store.placements(exp.id()))));
            context.out().flush();
        } else {
            StatusTable.print(exp, units, images, spread, context.out());
        }
    }
}
