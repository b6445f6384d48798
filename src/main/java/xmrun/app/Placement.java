package xmrun.app;

import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of an experiment on one cluster: the cluster's name, the experiment as that cluster sees it (its work
 * dir there), and the jobs that run there. An experiment launched on one cluster is one placement of every job; one
 * spread over several clusters has a placement per cluster that got work, and whatever asks a scheduler (status,
 * cancel, logs, retries) does it placement by placement: one batch of calls per cluster.
 *
 * @param jobs the jobs placed there; null: every job of the experiment
 */
public record Placement(String cluster, ExperimentRecord experiment, Set<String> jobs) {

    public boolean has(String job) {
        return jobs == null || jobs.contains(job);
    }

    public List<WorkUnitRecord> unitsOf(List<WorkUnitRecord> units) {
        return jobs == null ? units : units.stream().filter(u -> jobs.contains(u.job())).toList();
    }

    /** An experiment's placements, from the store: one per cluster that got work, in the order they were named. */
    public static List<Placement> of(ExperimentStore store, ExperimentRecord exp) {
        Map<String, String> dirs = store.placements(exp.id());
        if (dirs.isEmpty()) {
            return List.of(new Placement(exp.cluster(), exp, null));
        }
        Map<String, Set<String>> jobs = new LinkedHashMap<>();
        store.jobClusters(exp.id()).forEach((job, cluster) -> jobs.computeIfAbsent(cluster, c -> new LinkedHashSet<>()).add(job));
        List<Placement> out = new ArrayList<>();
        dirs.forEach((cluster, dir) -> out.add(new Placement(cluster, on(exp, cluster, dir), Set.copyOf(jobs.getOrDefault(cluster, Set.of())))));
        return out;
    }

    /** The experiment as one cluster sees it: that cluster's name, its work dir there. */
    static ExperimentRecord on(ExperimentRecord exp, String cluster, String workDir) {
        return new ExperimentRecord(exp.id(), exp.name(), exp.launcher(), cluster, workDir, exp.createdAt(), exp.scriptArgs());
    }

    /** The placement a job's units are in. */
    public static Placement of(List<Placement> placements, String job) {
        return placements.stream().filter(p -> p.has(job)).findFirst()
                .orElseThrow(() -> new IllegalStateException("job " + job + " is placed on no cluster"));
    }

    /** The cluster names a launcher or --cluster gives ("a" or "a,b"), in order; each once. */
    public static List<String> names(String written) {
        List<String> names = new ArrayList<>();
        for (String part : written.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new xmrun.UserError("xmrun: empty cluster name in '" + written + "'; name clusters as a,b");
            }
            if (names.contains(name)) {
                throw new xmrun.UserError("xmrun: cluster '" + name + "' is named twice in '" + written + "'");
            }
            names.add(name);
        }
        return names;
    }
}
