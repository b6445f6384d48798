package xmrun.app;

import xmrun.UserError;
import xmrun.executor.ClusterExecutor;
import xmrun.executor.Executor;
import xmrun.local.LocalExecutor;
import xmrun.model.Suggest;
import xmrun.scheduler.sge.SgeScheduler;
import xmrun.scheduler.slurm.SlurmScheduler;
import xmrun.transport.LocalTransport;

import java.util.List;

/** Turns a cluster name from a launcher or the command line into the executor that runs there. */
public final class Clusters {
    static final List<String> BUILT_IN = List.of("local", "slurm", "sge");

    private Clusters() {
    }

    public static Executor executorFor(String cluster) {
        if (cluster.equals("local")) {
            return new LocalExecutor(new LocalTransport(), Runtime.getRuntime().availableProcessors());
        }
        if (cluster.equals("slurm")) { // this machine's Slurm, no SSH
            return new ClusterExecutor(new SlurmScheduler(), new LocalTransport());
        }
        if (cluster.equals("sge")) { // this machine's Grid Engine, no SSH
            return new ClusterExecutor(new SgeScheduler(), new LocalTransport());
        }
        throw new UserError("unknown cluster '" + cluster + "'" + Suggest.didYouMean(cluster, BUILT_IN)
                + " (known: " + String.join(", ", BUILT_IN) + ")");
    }
}
