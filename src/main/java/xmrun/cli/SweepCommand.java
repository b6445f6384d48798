package xmrun.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.UserError;
import xmrun.dsl.LauncherLoader;
import xmrun.dsl.SweepFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "sweep", description = "Print the points of a launcher's sweeps, or of a sweep file; launch nothing.")
final class SweepCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "FILE", completionCandidates = Completions.SweepFiles.class, description = "a launcher (*.xm.groovy): every job's sweep; any other file: a sweep file")
    String file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "after --: passed to the launcher as 'args'")
    List<String> scriptArgs = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "show the first N and the last N points of each sweep (default: ${DEFAULT-VALUE}; 0 shows all)")
    int limit = 10;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    Integer run() {
        if (limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 0 (all) or more, got " + limit);
        }
        SweepReport report = load();
        if (json) {
            new SweepJson(context.out(), limit).print(report);
        } else {
            new SweepTable(context.out(), limit).print(report);
        }
        return 0;
    }

    /** Launchers are named *.xm.groovy (DslExamplesSpec runs every one); a sweep file has any other name. */
    private SweepReport load() {
        Path path = xmrun.server.RequestEnvironment.current().path(file);
        if (file.endsWith(".xm.groovy")) {
            return SweepReport.ofLauncher(LauncherLoader.load(path, file, scriptArgs), file);
        }
        if (!scriptArgs.isEmpty()) {
            throw new UserError("xmrun sweep: " + file + " is a sweep file (launchers end in .xm.groovy), so it takes no ARGS");
        }
        return SweepReport.ofSweepFile(SweepFile.loadAlone(path, file), file);
    }
}
