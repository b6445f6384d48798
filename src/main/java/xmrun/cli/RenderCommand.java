package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.LaunchService;
import xmrun.app.Recorded;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;

import java.nio.file.Files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "render", description = "Write every rendered job script of a launcher to a directory, submitting nothing;"
        + " or, given an experiment id, the files that experiment submitted, byte for byte.")
final class RenderCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "LAUNCHER|EXP", completionCandidates = Completions.Launchers.class,
            description = "a launcher file, or the id of an experiment")
    String launcher;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "after --: passed to the launcher as 'args'")
    List<String> scriptArgs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "where to write (default: ./xmrun-render)")
    Path output = Path.of("xmrun-render");

    @Option(names = "--cluster", paramLabel = "NAME", completionCandidates = Completions.Clusters.class, description = "render for this cluster instead of the launcher's")
    String cluster;

    @Override
    Integer run() {
        if (isExperimentId(launcher)) {
            return renderExperiment();
        }
        LaunchService service = launchService();
        LaunchService.Prepared prepared = service.prepare(xmrun.server.RequestEnvironment.current().path(launcher), launcher, scriptArgs, cluster);
        List<Path> written = service.render(prepared, xmrun.server.RequestEnvironment.current().path(output));
        context.out().printf("rendered %d file%s for %d work unit%s into %s%n", written.size(), written.size() == 1 ? "" : "s",
                prepared.plan().workUnitCount(), prepared.plan().workUnitCount() == 1 ? "" : "s", output);
        return 0;
    }

    /** A number that is not a file: {@code xmrun render 12} means experiment 12, {@code xmrun render ./12} the file. */
    static boolean isExperimentId(String arg) {
        return arg.matches("[0-9]+") && !Files.exists(xmrun.server.RequestEnvironment.current().path(arg));
    }

    /** The files the experiment wrote into its work dir at launch, from the store: nothing is rendered again. */
    private Integer renderExperiment() {
        if (!scriptArgs.isEmpty() || cluster != null) {
            throw new xmrun.UserError("xmrun render EXP takes only -o DIR: the experiment's files are written as they were submitted");
        }
        try (ExperimentStore store = openStore()) {
            ExperimentRecord exp = statusService(store).find(launcher);
            List<Path> written = Recorded.of(store, exp).writeFiles(xmrun.server.RequestEnvironment.current().path(output).toAbsolutePath());
            context.out().printf("wrote the %d file%s experiment %d submitted into %s%n", written.size(), written.size() == 1 ? "" : "s",
                    exp.id(), output);
            return 0;
        }
    }
}
