package xmrun.app;

import xmrun.UserError;
import xmrun.executor.ClusterExecutor;
import xmrun.executor.Executor;
import xmrun.local.LocalExecutor;
import xmrun.model.Suggest;
import xmrun.scheduler.slurm.SlurmScheduler;
import xmrun.transport.LocalTransport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a cluster name from a launcher or the command line into the executor that runs there. One
 * executor (and so one connection) per cluster for the life of an xmrun command; closing this
 * closes them all.
 */
public final class Clusters implements AutoCloseable {
    static final List<String> BUILT_IN = List.of("local", "slurm");

    private final Map<String, Executor> open = new LinkedHashMap<>();

    public Clusters(XmrunHome home) {
    }

    public Executor executorFor(String cluster) {
        return open.computeIfAbsent(cluster, Clusters::create);
    }

    private static Executor create(String cluster) {
        if (cluster.equals("local")) {
            return new LocalExecutor(new LocalTransport(), Runtime.getRuntime().availableProcessors());
        }
        if (cluster.equals("slurm")) { // this machine's Slurm, no SSH
            return new ClusterExecutor(new SlurmScheduler(), new LocalTransport());
        }
        throw new UserError("unknown cluster '" + cluster + "'" + Suggest.didYouMean(cluster, BUILT_IN)
                + " (known: " + String.join(", ", BUILT_IN) + ")");
    }

    @Override
    public void close() {
        open.values().forEach(Executor::close);
        open.clear();
    }
}
