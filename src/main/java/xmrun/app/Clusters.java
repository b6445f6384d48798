package xmrun.app;

import xmrun.UserError;
import xmrun.executor.Executor;
import xmrun.local.LocalExecutor;
import xmrun.model.Suggest;
import xmrun.transport.LocalTransport;

import java.util.List;

/** Turns a cluster name from a launcher or the command line into the executor that runs there. */
public final class Clusters {
    static final List<String> BUILT_IN = List.of("local");

    private Clusters() {
    }

    public static Executor executorFor(String cluster) {
        if (cluster.equals("local")) {
            return new LocalExecutor(new LocalTransport(), Runtime.getRuntime().availableProcessors());
        }
        throw new UserError("unknown cluster '" + cluster + "'" + Suggest.didYouMean(cluster, BUILT_IN)
                + " (known: " + String.join(", ", BUILT_IN) + ")");
    }
}
