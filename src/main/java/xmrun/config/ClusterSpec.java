package xmrun.config;

import xmrun.model.SourceRef;

import java.util.List;

/**
 * A cluster from the config file.
 *
 * @param scheduler 'slurm' or 'sge'
 * @param ssh       null: this machine's scheduler, no SSH
 * @param workdir   where experiments, staged code and outputs go on the cluster
 * @param defaults  placement every job gets unless it sets its own: partition, account, qos, queue
 * @param setup     shell lines at the top of every job script ({@code module load ...})
 * @param templatePacks template packs every launch on this cluster uses (after the launcher's own)
 */
public record ClusterSpec(String name, String scheduler, SshTarget ssh, String workdir, Placement defaults,
                          List<String> setup, List<String> templatePacks, SourceRef declaredAt) {
    public ClusterSpec {
        setup = List.copyOf(setup);
        templatePacks = List.copyOf(templatePacks);
    }

    public record Placement(String partition, String account, String qos, String queue) {
        public static final Placement NONE = new Placement(null, null, null, null);
    }
}
