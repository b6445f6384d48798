package xmrun.config;

import xmrun.model.SourceRef;

import java.util.List;
import java.util.Map;

/**
 * A cluster from the config file.
 *
 * @param scheduler 'slurm' or 'sge'
 * @param ssh       null: this machine's scheduler, no SSH
 * @param workdir   where experiments, staged code and outputs go on the cluster
 * @param defaults  placement every job gets unless it sets its own: partition, account, qos, queue
 * @param setup     shell lines at the top of every job script ({@code module load ...})
 * @param templatePacks template packs every launch on this cluster uses (after the launcher's own)
 * @param containers the container runtime and image cache for jobs that run in a container
 * @param proxy     where each job opens a SOCKS tunnel to (compute nodes without internet), or null for none;
 *                  the host {@link #SUBMISSION_HOST} is the host the job was submitted from
 * @param environment variables every command xmrun runs on the cluster gets ({@code SLURM_CONF} of a second
 *                  Slurm beside the default one), in the order written
 * @param commandPrefix words before every command xmrun runs on the cluster, after the environment
 *                  ({@code bash -lc 'module load slurm && exec "$@"' xmrun}): for sites whose scheduler commands
 *                  need a login shell's setup first
 */
public record ClusterSpec(String name, String scheduler, SshTarget ssh, String workdir, Placement defaults,
                          List<String> setup, List<String> templatePacks, SourceRef declaredAt, Containers containers,
                          SshTarget proxy, Map<String, String> environment, List<String> commandPrefix) {
    public static final String SUBMISSION_HOST = "submission-host";

    public ClusterSpec {
        setup = List.copyOf(setup);
        templatePacks = List.copyOf(templatePacks);
        containers = containers == null ? Containers.NONE : containers;
        environment = environment == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        commandPrefix = commandPrefix == null ? List.of() : List.copyOf(commandPrefix);
    }

    public ClusterSpec(String name, String scheduler, SshTarget ssh, String workdir, Placement defaults, List<String> setup,
                       List<String> templatePacks, SourceRef declaredAt, Containers containers, SshTarget proxy) {
        this(name, scheduler, ssh, workdir, defaults, setup, templatePacks, declaredAt, containers, proxy, Map.of(), List.of());
    }

    /**
     * What goes before every command run on the cluster: {@code env NAME=value ...} for the environment, then the
     * command prefix; empty when the config sets neither.
     */
    public List<String> commandWords() {
        List<String> words = new java.util.ArrayList<>();
        if (!environment.isEmpty()) {
            words.add("env");
            environment.forEach((k, v) -> words.add(k + "=" + v));
        }
        words.addAll(commandPrefix);
        return words;
    }

    public ClusterSpec(String name, String scheduler, SshTarget ssh, String workdir, Placement defaults, List<String> setup,
                       List<String> templatePacks, SourceRef declaredAt) {
        this(name, scheduler, ssh, workdir, defaults, setup, templatePacks, declaredAt, Containers.NONE, null);
    }

    /**
     * {@code container { runtime 'apptainer'; cache '/scratch/me/images' }}
     *
     * @param runtime the runtime for containers whose launcher names none; null: xmrun's default
     * @param cache   where pinned copies of image files are kept on the cluster; null: {@code WORKDIR/images}
     */
    public record Containers(String runtime, String cache) {
        public static final Containers NONE = new Containers(null, null);
    }

    public record Placement(String partition, String account, String qos, String queue) {
        public static final Placement NONE = new Placement(null, null, null, null);
    }
}
