package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.LaunchService;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;

@Command(name = "relaunch", description = "Launch an experiment again from what the store kept of it: its launcher, sweep files,"
        + " code snapshot and templates (not the files as they are now).")
final class RelaunchCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "EXP", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String experiment;

    @Option(names = "--cluster", paramLabel = "NAME[,NAME...]", completionCandidates = Completions.Clusters.class,
            description = "run on this cluster instead of the experiment's; several: each job goes where it would start first")
    String cluster;

    @Option(names = "--dry-run", description = "evaluate, plan and render, then print what would run; submit nothing")
    boolean dryRun;

    @Override
    Integer run() {
        ExperimentRecord exp;
        try (ExperimentStore store = openStore()) {
            exp = statusService(store).find(experiment);
        }
        LaunchService service = launchService();
        LaunchService.Prepared prepared = service.prepareRelaunch(exp, cluster);
        prepared.warnings().forEach(context.err()::println);
        if (dryRun) {
            service.renderOnly(prepared);
            LaunchCommand.printDryRun(context, service, prepared);
            return 0;
        }
        LaunchService.Launched launched = service.launch(prepared, exp.scriptArgs(), ProgressLine.onTerminal(context.err()));
        context.out().printf("relaunch of experiment %d%n", exp.id());
        LaunchCommand.printLaunched(context, prepared, launched);
        return 0;
    }
}
