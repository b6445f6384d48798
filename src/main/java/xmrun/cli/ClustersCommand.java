package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import xmrun.UserError;
import xmrun.executor.ClusterExecutor;
import xmrun.executor.Executor;

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
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            Executor executor = clusters().executorFor(name);
            if (!(executor instanceof ClusterExecutor cluster)) {
                throw new UserError("'" + name + "' runs work units on this machine; there is nothing to check");
            }
            List<String> lines = cluster.check();
            lines.forEach(context.out()::println);
            return lines.stream().allMatch(l -> l.startsWith("ok")) ? 0 : 1;
        }
    }
}
