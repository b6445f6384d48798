package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import xmrun.app.CompletionValues;

import java.util.List;

/** {@code xmrun __complete clusters|experiments}: what the completion script offers, one per line. Hidden: the script calls it. */
@Command(name = "__complete", hidden = true, description = "Print the cluster names or experiment ids for shell completion.")
final class CompleteCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "KIND", description = "clusters or experiments")
    String kind;

    @Override
    Integer run() {
        List<String> values = switch (kind) {
            case "clusters" -> CompletionValues.clusters(context.home());
            case "experiments" -> CompletionValues.experiments(context.home());
            default -> throw new xmrun.UserError("xmrun: __complete takes clusters or experiments, got '" + kind + "'");
        };
        values.forEach(context.out()::println);
        return 0;
    }
}
