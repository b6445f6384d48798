package xmrun.app;

import xmrun.UserError;
import xmrun.config.ClusterConfig;
import xmrun.config.ClusterSpec;
import xmrun.config.SshEndpoint;
import xmrun.dsl.ConfigLoader;
import xmrun.executor.ClusterExecutor;
import xmrun.executor.Executor;
import xmrun.local.LocalExecutor;
import xmrun.model.Suggest;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.sge.SgeScheduler;
import xmrun.scheduler.slurm.SlurmScheduler;
import xmrun.transport.LocalTransport;
import xmrun.transport.Transport;
import xmrun.transport.ssh.SshTransport;

import java.nio.file.Path;
import java.util.ArrayList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a cluster name from a launcher or the command line into the executor that runs there. One
 * executor (and so one connection) per cluster for the life of an xmrun command; closing this
 * closes them all.
 */
public final class Clusters implements AutoCloseable {
    static final List<String> BUILT_IN = List.of("local", "slurm", "sge");

    private final Map<String, Executor> open = new LinkedHashMap<>();
    private final Path configFile;
    private ClusterConfig config;

    public Clusters(XmrunHome home) {
        this.configFile = home.clusterConfig();
    }

    public Executor executorFor(String cluster) {
        return open.computeIfAbsent(cluster, this::create);
    }

    /** The config file is read only when something needs it: a plain local launch never compiles it. */
    public ClusterConfig config() {
        if (config == null) {
            config = configFile == null ? ClusterConfig.EMPTY : ConfigLoader.load(configFile, configFile.toString());
        }
        return config;
    }

    private Map<String, ClusterSpec> configured() {
        return config().clusters();
    }

    /** Template packs the cluster's config adds to every launch on it (none for built-in clusters). */
    public List<String> templatePacks(String cluster) {
        return BUILT_IN.contains(cluster) ? List.of() : spec(cluster).templatePacks();
    }

    public ClusterSpec spec(String cluster) {
        ClusterSpec spec = configured().get(cluster);
        if (spec == null) {
            throw unknown(cluster);
        }
        return spec;
    }

    private Executor create(String cluster) {
        if (!BUILT_IN.contains(cluster)) {
            ClusterSpec spec = spec(cluster);
            Transport transport = spec.ssh() == null ? new LocalTransport()
                    : new SshTransport(SshEndpoint.resolve(spec.ssh(), Path.of(System.getProperty("user.home"))));
            return new ClusterExecutor(scheduler(spec.scheduler()), transport, spec);
        }
        if (cluster.equals("local")) {
            return new LocalExecutor(new LocalTransport(), Runtime.getRuntime().availableProcessors());
        }
        if (cluster.equals("slurm")) { // this machine's Slurm, no SSH
            return new ClusterExecutor(new SlurmScheduler(), new LocalTransport());
        }
        if (cluster.equals("sge")) { // this machine's Grid Engine, no SSH
            return new ClusterExecutor(new SgeScheduler(), new LocalTransport());
        }
        throw unknown(cluster);
    }

    static Scheduler scheduler(String name) {
        return switch (name) {
            case "slurm" -> new SlurmScheduler();
            case "sge" -> new SgeScheduler();
            default -> throw new UserError("unknown scheduler '" + name + "'");
        };
    }

    private UserError unknown(String cluster) {
        List<String> known = new ArrayList<>(BUILT_IN);
        known.addAll(configured().keySet());
        return new UserError("unknown cluster '" + cluster + "'" + Suggest.didYouMean(cluster, known) + " (known: "
                + String.join(", ", known) + (configFile == null ? "; no cluster config file found" : " from " + configFile) + ")");
    }

    @Override
    public void close() {
        open.values().forEach(Executor::close);
        open.clear();
    }
}
