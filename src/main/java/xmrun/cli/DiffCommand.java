package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import xmrun.app.ExperimentDiff;
import xmrun.app.Recorded;
import xmrun.app.StatusService;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;

import java.util.List;

@Command(name = "diff", description = "What differs between two experiments: xmrun, cluster, launcher, code, git, templates, images, sweep.")
final class DiffCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "EXP1", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String first;

    @Parameters(index = "1", paramLabel = "EXP2", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String second;

    @Override
    Integer run() {
        try (ExperimentStore store = openStore()) {
            StatusService status = statusService(store);
            ExperimentRecord a = status.find(first);
            ExperimentRecord b = status.find(second);
            List<String> lines = new ExperimentDiff(Recorded.of(store, a), store.workUnits(a.id()), Recorded.of(store, b),
                    store.workUnits(b.id())).lines();
            if (lines.isEmpty()) {
                context.out().printf("experiments %d and %d ran the same launcher, code, templates, images and sweep on the same cluster%n",
                        a.id(), b.id());
            }
            lines.forEach(context.out()::println);
            return 0;
        }
    }
}
