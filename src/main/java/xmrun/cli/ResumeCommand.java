package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;

@Command(name = "resume", description = "Submit the work units an interrupted launch did not (e.g. the connection dropped).")
final class ResumeCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "EXP", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String experiment;

    @Override
    Integer run() {
        ExperimentRecord exp;
        try (ExperimentStore store = openStore()) {
            exp = statusService(store).find(experiment);
        }
        int submitted = launchService().resume(exp);
        context.out().printf(submitted == 0 ? "experiment %d: nothing left to submit%n"
                : "experiment %d: submitted the remaining %d work unit" + (submitted == 1 ? "" : "s") + "%n", exp.id(), submitted);
        return 0;
    }
}
