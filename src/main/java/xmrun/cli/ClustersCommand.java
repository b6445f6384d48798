package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import xmrun.app.ClusterCheck;

import java.util.List;

@Command(name = "clusters", description = "Check a cluster from the config file.",
        subcommands = {ClustersCommand.Check.class})
final class ClustersCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing: check NAME");
    }

    @Command(name = "check", description = "Connect, ask the scheduler, test the workdir, time a round trip.")
    static final class Check extends XmrunSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", completionCandidates = Completions.Clusters.class)
        String name;

        @Override
        Integer run() {
            return print(ClusterCheck.run(clusters().open(name)), context.out());
        }

        /** One line per check; exit 0 when all passed, else 1. */
        static int print(List<ClusterCheck.Result> results, java.io.PrintWriter out) {
            for (ClusterCheck.Result r : results) {
                out.printf("%-6s %s: %s%n", r.ok() ? "ok" : "FAILED", r.what(), r.detail());
            }
            return results.stream().allMatch(ClusterCheck.Result::ok) ? 0 : 1;
        }
    }
}
