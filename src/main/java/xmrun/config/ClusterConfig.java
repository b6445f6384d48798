package xmrun.config;

import xmrun.packs.Repositories;

import java.util.Map;

/** What a cluster config file says: its clusters by name, and where packs and @Grab libraries come from. */
public record ClusterConfig(Map<String, ClusterSpec> clusters, Repositories repositories) {
    public static final ClusterConfig EMPTY = new ClusterConfig(Map.of(), Repositories.DEFAULT);

    public ClusterConfig {
        clusters = Map.copyOf(clusters);
    }
}
