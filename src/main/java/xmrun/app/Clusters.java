package xmrun.app;

import xmrun.UserError;
import xmrun.config.ClusterConfig;
import xmrun.config.ClusterSpec;
import xmrun.config.SshEndpoint;
import xmrun.dsl.ConfigLoader;
import xmrun.executor.Cluster;
import xmrun.model.ScriptError;
import xmrun.model.SourceRef;
import xmrun.model.Suggest;
import xmrun.scheduler.Capability;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.SchedulerRegistry;
import xmrun.transport.LocalTransport;
import xmrun.transport.Transport;
import xmrun.transport.ssh.SshTransport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a cluster name from a launcher or the command line into the {@link Cluster} that runs there:
 * a scheduler's name ({@code local}, {@code slurm}, {@code sge}) is that scheduler on this machine,
 * any other name comes from the cluster config. One cluster (and so one connection) per name for the
 * life of an xmrun command; closing this closes them all.
 */
public final class Clusters implements AutoCloseable {
    private final Map<String, Cluster> open = new LinkedHashMap<>();
    private final Path configFile;
    private final SchedulerRegistry.Environment environment;
    private ClusterConfig config;

    public Clusters(XmrunHome home) {
        this.configFile = home.clusterConfig();
        this.environment = SchedulerRegistry.Environment.of(home.dir());
    }

    public Cluster open(String cluster) {
        return open.computeIfAbsent(cluster, this::create);
    }

    /** The config file is read only when something needs it: a plain local launch never compiles it. */
    public ClusterConfig config() {
        if (config == null) {
            config = configFile == null ? ClusterConfig.EMPTY : ConfigLoader.load(configFile, XmrunHome.shown(configFile));
        }
        return config;
    }

    private static boolean builtIn(String cluster) {
        return SchedulerRegistry.names().contains(cluster);
    }

    /** Template packs the cluster's config adds to every launch on it (none for built-in clusters). */
    public List<String> templatePacks(String cluster) {
        return builtIn(cluster) ? List.of() : spec(cluster, null).templatePacks();
    }

    /** The config entry of a cluster, or null for a built-in one. */
    public ClusterSpec configured(String cluster) {
        return builtIn(cluster) ? null : spec(cluster, null);
    }

    /**
     * The config entry of a cluster the user named.
     *
     * @param namedAt where the name was written (a launcher's line), or null when it came from the command line
     */
    public ClusterSpec spec(String cluster, SourceRef namedAt) {
        ClusterSpec spec = config().clusters().get(cluster);
        if (spec == null) {
            List<String> known = new ArrayList<>(SchedulerRegistry.names());
            known.addAll(config().clusters().keySet());
            String message = "unknown cluster '" + cluster + "'" + Suggest.didYouMean(cluster, known) + " (known: "
                    + String.join(", ", known) + (configFile == null ? "; no cluster config file found" : " from " + XmrunHome.shown(configFile)) + ")";
            throw namedAt == null ? new UserError("xmrun: " + message) : new ScriptError(namedAt, message);
        }
        return spec;
    }

    /** Checks that a cluster name means something, before anything is recorded or staged. */
    public void check(String cluster, SourceRef namedAt) {
        if (!builtIn(cluster)) {
            spec(cluster, namedAt);
        }
    }

    private Cluster create(String cluster) {
        if (builtIn(cluster)) {
            return new Cluster(cluster, SchedulerRegistry.create(cluster, environment), new LocalTransport(), null);
        }
        ClusterSpec spec = spec(cluster, null);
        Scheduler scheduler = SchedulerRegistry.create(spec.scheduler(), environment);
        if (spec.ssh() != null && !scheduler.capabilities().contains(Capability.REMOTE)) {
            throw new ScriptError(spec.declaredAt(), "cluster '" + cluster + "': scheduler '" + spec.scheduler()
                    + "' runs work units on this machine only; remove its ssh { } block");
        }
        Transport transport = spec.ssh() == null ? new LocalTransport()
                : new SshTransport(SshEndpoint.resolve(spec.ssh(), Path.of(System.getProperty("user.home"))));
        return new Cluster(cluster, scheduler, transport, spec);
    }

    @Override
    public void close() {
        open.values().forEach(Cluster::close);
        open.clear();
    }
}
