package xmrun.executor;

import xmrun.config.ClusterSpec;
import xmrun.scheduler.Scheduler;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.Transport;

import java.nio.file.Path;
import java.util.List;

/**
 * A place work units run, as one xmrun command reaches it: its scheduler adapter, the transport its
 * commands go through (one connection for the life of the command), and what its config says.
 * Every scheduler, this machine's included, is driven through the same pieces: {@link Staging},
 * {@link Submitter}, {@link StatusReader}, {@link Canceller}.
 *
 * @param spec the cluster's config entry, or null for a built-in cluster (local, slurm, sge on this machine)
 */
public final class Cluster implements AutoCloseable {
    private final String name;
    private final Scheduler scheduler;
    private final Transport transport;
    private final ClusterSpec spec;
    private String root;

    /** Commands run through {@code transport} get the environment and command prefix of the config ({@link ClusterSpec#commandWords()}). */
    public Cluster(String name, Scheduler scheduler, Transport transport, ClusterSpec spec) {
        this.name = name;
        this.scheduler = scheduler;
        this.transport = spec == null ? transport : PrefixedTransport.wrap(transport, spec.commandWords());
        this.spec = spec;
    }

    public String name() {
        return name;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Transport transport() {
        return transport;
    }

    /** Reached over SSH: code is staged there, work dirs live under its workdir. */
    public boolean remote() {
        return spec != null && spec.ssh() != null;
    }

    /** {@code [user@]host[:port]} of a cluster reached over SSH, as its config names it; null for this machine. */
    public String sshHost() {
        if (!remote()) {
            return null;
        }
        var ssh = spec.ssh();
        return (ssh.user() == null ? "" : ssh.user() + "@") + ssh.host() + (ssh.port() == null ? "" : ":" + ssh.port());
    }

    public String describe() {
        return remote() ? name + " (" + spec.ssh().host() + ")" : name;
    }

    /** The cluster's workdir with ~ resolved (asking the cluster, once), or null when it has none. */
    public String root() {
        if (root == null && spec != null && spec.workdir() != null) {
            String w = spec.workdir();
            root = w.startsWith("~/") ? transport.home() + w.substring(1) : w;
        }
        return root;
    }

    /**
     * Where experiments' work dirs go: {@code localDefault} unless the cluster keeps them elsewhere,
     * where {@code storeId} keeps them apart from other stores' experiments of the same number.
     */
    public Path experimentsDir(Path localDefault, String storeId) {
        return root() != null ? Path.of(root(), "experiments", storeId) : localDefault;
    }

    /** Placement every job gets unless it sets its own. */
    public ClusterSpec.Placement defaults() {
        return spec == null ? ClusterSpec.Placement.NONE : spec.defaults();
    }

    /** Shell lines the cluster's config puts at the top of every job script. */
    public List<String> setup() {
        return spec == null ? List.of() : spec.setup();
    }

    /** The container runtime and image cache from the cluster's config. */
    public ClusterSpec.Containers containers() {
        return spec == null ? ClusterSpec.Containers.NONE : spec.containers();
    }

    /** Where each job opens its SOCKS tunnel to, or null: no proxy. */
    public xmrun.config.SshTarget proxy() {
        return spec == null ? null : spec.proxy();
    }

    /**
     * Where pinned copies of image files are kept on the cluster: the config's {@code cache}, else {@code WORKDIR/images},
     * else {@code localDefault} (a cluster reached without SSH and without a workdir).
     */
    public String imageCache(java.nio.file.Path localDefault) {
        String cache = containers().cache();
        if (cache != null) {
            return cache.startsWith("~/") ? transport.home() + cache.substring(1) : cache;
        }
        return root() != null ? root() + "/images" : localDefault.toString();
    }

    /** Scheduler job names carry the experiment id, so one experiment's jobs can be found by name. */
    public static String jobName(long experimentId, String job) {
        return "xm" + experimentId + "-" + job;
    }

    /**
     * Every scheduler keeps a unit's output in {@code WORKDIR/wu/ID/stdout|stderr}, on the cluster's side;
     * attempt N after the first in {@code stdout.N|stderr.N}.
     */
    public static String unitOutput(ExperimentRecord experiment, WorkUnitRecord unit, Output which, int attempt) {
        return experiment.workDir() + "/wu/" + unit.id() + "/" + which.fileName + (attempt == 1 ? "" : "." + attempt);
    }

    /** Where the scheduler wrote its own output for one task (the time limit, the OOM kill are told there). */
    public String schedulerOutput(ExperimentRecord experiment, String job, String schedulerId) {
        return experiment.workDir() + "/sched/" + scheduler.outputFileName(jobName(experiment.id(), job), scheduler.parseTask(schedulerId));
    }

    public enum Output {
        STDOUT("stdout"), STDERR("stderr");

        public final String fileName;

        Output(String fileName) {
            this.fileName = fileName;
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
