package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.LaunchService;
import xmrun.app.Patience;
import xmrun.app.Watcher;
import xmrun.model.ImagePin;
import xmrun.model.Job;
import xmrun.plan.WorkUnit;
import xmrun.render.ShellQuote;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "launch", description = "Launch the experiment a launcher describes (the default command).")
final class LaunchCommand extends XmrunSubcommand {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LAUNCHER", completionCandidates = Completions.Launchers.class, description = "the launcher, e.g. train.xm.groovy")
    String launcher;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "after --: passed to the launcher as 'args'")
    List<String> scriptArgs = new ArrayList<>();

    @Option(names = "--dry-run", description = "evaluate, plan and render, then print what would run; submit nothing")
    boolean dryRun;

    @Option(names = "--cluster", paramLabel = "NAME[,NAME...]", completionCandidates = Completions.Clusters.class,
            description = "run on this cluster instead of the launcher's; several: each job goes where it would start first")
    String cluster;

    @Option(names = "--wait", description = "block until every work unit has finished; exit 1 if any did not succeed")
    boolean waitForEnd;

    @Override
    Integer run() throws Exception {
        checkLooksLikeLauncher();
        Patience patience = waitForEnd ? patience() : Patience.NONE; // a bad XMRUN_PATIENCE is told before anything is launched
        LaunchService service = launchService();
        LaunchService.Prepared prepared = service.prepare(xmrun.server.RequestEnvironment.current().path(launcher), launcher, scriptArgs,
                cluster);
        prepared.warnings().forEach(context.err()::println);
        if (dryRun) {
            service.renderOnly(prepared); // template errors show now, not at the real launch
            printDryRun(context, service, prepared);
            return 0;
        }
        LaunchService.Launched launched = service.launch(prepared, scriptArgs, ProgressLine.onTerminal(context.err()));
        ExperimentRecord exp = launched.experiment();
        var out = context.out();
        printLaunched(context, prepared, launched);
        if (!waitForEnd) {
            return 0;
        }
        try (ExperimentStore store = openStore()) {
            List<xmrun.store.WorkUnitRecord> units;
            try {
                units = new Watcher(statusService(store), patience).pollUntilFinal(exp, null);
            } catch (Patience.GaveUp e) {
                out.println("last known states (the scheduler did not answer since):");
                StatusTable.print(exp, store.workUnits(exp.id()), List.of(), StatusTable.Spread.of(store, exp), out);
                throw e;
            }
            StatusTable.print(exp, units, List.of(), StatusTable.Spread.of(store, exp), out);
            return Watcher.allSucceeded(units) ? 0 : 1;
        }
    }

    private static void printStaged(java.io.PrintWriter out, String where, xmrun.stage.Stager.Result s) {
        out.printf("code: %s%d file%s uploaded (%s), %d unchanged -> %s%n", where, s.filesUploaded(),
                s.filesUploaded() == 1 ? "" : "s", Bytes.human(s.bytesUploaded()), s.filesUnchanged(), s.codeDir());
    }

    /** {@code xmrun statsu}: a mistyped command, not a launcher that does not exist. */
    private void checkLooksLikeLauncher() {
        if (!launcher.contains(".") && !launcher.contains("/") && !java.nio.file.Files.exists(xmrun.server.RequestEnvironment.current().path(launcher))) {
            throw new xmrun.UserError("xmrun: unknown command '" + launcher + "'"
                    + xmrun.model.Suggest.didYouMean(launcher, spec.parent().subcommands().keySet())
                    + " (a launcher file needs its path, e.g. ./" + launcher + ".xm.groovy)");
        }
    }

    /** What a launch did: the upload, the experiment, where its jobs went, its images, and where to look next. */
    static void printLaunched(Context context, LaunchService.Prepared prepared, LaunchService.Launched launched) {
        ExperimentRecord exp = launched.experiment();
        var out = context.out();
        if (launched.spread() != null) {
            PlacementText.notes(launched.spread().choices(), context.err());
            launched.spread().staged().forEach((c, s) -> printStaged(out, c + ": ", s));
        }
        launched.staged().ifPresent(s -> printStaged(out, "", s));
        out.printf("experiment %d '%s': %d work unit%s on %s%n", exp.id(), exp.name(), prepared.plan().workUnitCount(),
                prepared.plan().workUnitCount() == 1 ? "" : "s", exp.cluster());
        if (launched.spread() != null) {
            PlacementText.print(launched.spread().choices(), out);
        }
        for (ImagePin i : launched.images()) {
            out.printf("  image:    %s: %s (%s) %s%n", i.job(), i.reference(), i.runtime(),
                    i.pinned() ? "pinned as " + i.digest() : "- " + i.note());
        }
        if (launched.spread() != null && launched.spread().workDirs().size() > 1) {
            launched.spread().workDirs().forEach((c, d) -> out.printf("  work dir: %s: %s%n", c, d));
        } else {
            out.printf("  work dir: %s%n", exp.workDir());
        }
        out.printf("  status:   xmrun status %d%n", exp.id());
        out.printf("  logs:     xmrun logs %d 1%n", exp.id());
        out.flush();
    }

    /** What would run; of a launch on several clusters, where each chain of jobs would go, each candidate asked now. */
    static void printDryRun(Context context, LaunchService service, LaunchService.Prepared prepared) {
        printDryRun(context, prepared);
        if (prepared.spread()) { // each candidate is asked, as the launch would: submitting nothing
            var choices = service.choose(prepared);
            context.out().printf("where each chain of jobs would go (the scheduler's start estimates, asked now):%n");
            PlacementText.print(choices, context.out());
            context.out().flush();
            if (choices.stream().anyMatch(c -> c.picked() == null)) {
                LaunchService.checkPlaced(choices);
            }
        }
    }

    private static void printDryRun(Context context, LaunchService.Prepared prepared) {
        var out = context.out();
        var plan = prepared.plan();
        out.printf("experiment '%s': %d work units on %s (dry run: nothing submitted)%n", plan.experiment().name(),
                plan.workUnitCount(), prepared.cluster());
        for (Job job : plan.jobsInSubmitOrder()) {
            String after = job.after().isEmpty() ? "" : "  after " + String.join(", ", job.after().stream().map(d -> d.job()).toList());
            String in = job.container() == null ? "" : "  in " + job.container().runtime() + " " + job.container().image();
            out.printf("job %s: %d work unit%s%s%s%n", job.name(), job.workUnitCount(), job.workUnitCount() == 1 ? "" : "s", after, in);
            for (WorkUnit u : plan.workUnits(job)) {
                out.printf("  %4d  %s%n", u.id(), ShellQuote.join(u.argv()));
            }
        }
    }
}
