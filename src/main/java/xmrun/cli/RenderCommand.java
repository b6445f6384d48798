package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.LaunchService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "render", description = "Write every rendered job script to a directory; submit nothing.")
final class RenderCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "LAUNCHER", completionCandidates = Completions.Launchers.class)
    String launcher;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "after --: passed to the launcher as 'args'")
    List<String> scriptArgs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "where to write (default: ./xmrun-render)")
    Path output = Path.of("xmrun-render");

    @Option(names = "--cluster", paramLabel = "NAME", completionCandidates = Completions.Clusters.class, description = "render for this cluster instead of the launcher's")
    String cluster;

    @Override
    Integer run() {
        LaunchService service = launchService();
        LaunchService.Prepared prepared = service.prepare(xmrun.server.RequestEnvironment.current().path(launcher), launcher, scriptArgs, cluster);
        List<Path> written = service.render(prepared, xmrun.server.RequestEnvironment.current().path(output));
        context.out().printf("rendered %d file%s for %d work unit%s into %s%n", written.size(), written.size() == 1 ? "" : "s",
                prepared.plan().workUnitCount(), prepared.plan().workUnitCount() == 1 ? "" : "s", output);
        return 0;
    }
}
