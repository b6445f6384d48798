package xmrun.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated experiment: what a launcher script evaluates to. Construction checks what can only be
 * checked once every job is known: duplicate names, {@code after} naming a missing job, and cycles.
 *
 * @param launcher the launcher file
 * @param cluster  the cluster name as written in the launcher ({@code local} when not given); several as {@code a,b}
 * @param codeDir  the directory work units start in, staged to remote clusters (default: the launcher's)
 * @param ignore   glob patterns of files under codeDir that are not staged
 * @param templatePacks Maven coordinates of template packs, searched in order after the user's templates
 * @param clusterAt where the cluster was named (the experiment's own line when it was not): an unknown
 *                  cluster is reported there
 * @param groups   jobs that start together; their members are in {@code jobs} too
 */
public record Experiment(String name, String cluster, List<Job> jobs, Path launcher, Path codeDir, List<String> ignore,
                         List<String> templatePacks, SourceRef clusterAt, List<Group> groups) {
    public Experiment {
        jobs = List.copyOf(jobs);
        ignore = List.copyOf(ignore);
        templatePacks = List.copyOf(templatePacks);
        if (clusterAt == null) {
            clusterAt = new SourceRef(launcher == null ? SourceRef.UNKNOWN.file() : launcher.getFileName().toString(), 0);
        }
        groups = List.copyOf(groups);
        Map<String, Job> byName = indexByName(jobs);
        checkGroups(groups, byName);
        checkDependenciesExist(jobs, byName, groups);
        checkNoCycle(jobs, byName);
    }

    public Experiment(String name, String cluster, List<Job> jobs, Path launcher, Path codeDir, List<String> ignore,
                      List<String> templatePacks) {
        this(name, cluster, jobs, launcher, codeDir, ignore, templatePacks, null, List.of());
    }

    public Experiment(String name, String cluster, List<Job> jobs, Path launcher, Path codeDir, List<String> ignore,
                      List<String> templatePacks, SourceRef clusterAt) {
        this(name, cluster, jobs, launcher, codeDir, ignore, templatePacks, clusterAt, List.of());
    }

    /** The same experiment with its jobs replaced (same names, same order). */
    public Experiment withJobs(List<Job> replaced) {
        return new Experiment(name, cluster, replaced, launcher, codeDir, ignore, templatePacks, clusterAt, groups);
    }

    public Job job(String jobName) {
        return jobs.stream().filter(j -> j.name().equals(jobName)).findFirst().orElseThrow();
    }

    /** The group a job belongs to, or null. */
    public Group groupOf(Job job) {
        return job.group() == null ? null : groups.stream().filter(g -> g.name().equals(job.group())).findFirst().orElseThrow();
    }

    /**
     * A group's name is one more name {@code after} can use, so it may not be a job's too; its members start together,
     * so they run at the same sweep points and after the same jobs; and each needs its own {@code XM_HOST_} variable.
     */
    private static void checkGroups(List<Group> groups, Map<String, Job> byName) {
        Map<String, Group> seen = new HashMap<>();
        for (Group g : groups) {
            if (byName.containsKey(g.name())) {
                throw new ScriptError(g.declaredAt(), "group '" + g.name() + "' has the name of job '" + g.name()
                        + "' (declared at line " + byName.get(g.name()).declaredAt().line() + "); 'after' could not tell them apart");
            }
            Group earlier = seen.putIfAbsent(g.name(), g);
            if (earlier != null) {
                throw new ScriptError(g.declaredAt(), "group '" + g.name() + "' is already declared at line "
                        + earlier.declaredAt().line());
            }
            Map<String, String> hosts = new HashMap<>();
            for (String m : g.members()) {
                Job job = byName.get(m);
                if (!g.name().equals(job.group())) {
                    throw new IllegalStateException("job " + m + " is listed in group " + g.name() + " but says " + job.group());
                }
                String other = hosts.putIfAbsent(Group.hostVariable(m), m);
                if (other != null) {
                    throw new ScriptError(job.declaredAt(), "jobs '" + other + "' and '" + m + "' of group '" + g.name()
                            + "' would both be told their host as " + Group.hostVariable(m) + "; rename one");
                }
            }
        }
    }

    public long workUnitCount() {
        return jobs.stream().mapToLong(Job::workUnitCount).sum();
    }

    private static Map<String, Job> indexByName(List<Job> jobs) {
        Map<String, Job> byName = new LinkedHashMap<>();
        for (Job j : jobs) {
            Job earlier = byName.putIfAbsent(j.name(), j);
            if (earlier != null) {
                throw new ScriptError(j.declaredAt(), "job '" + j.name() + "' is already declared at line " + earlier.declaredAt().line());
            }
        }
        return byName;
    }

    /** A group's name in {@code after} was replaced by its members' when the launcher was read. */
    private static void checkDependenciesExist(List<Job> jobs, Map<String, Job> byName, List<Group> groups) {
        Set<String> names = new java.util.TreeSet<>(byName.keySet());
        groups.forEach(g -> names.add(g.name()));
        for (Job j : jobs) {
            for (Dependency d : j.after()) {
                if (!byName.containsKey(d.job())) {
                    throw new ScriptError(d.declaredAt(), (j.group() != null ? "group '" + j.group() + "'" : "job '" + j.name() + "'")
                            + " runs after unknown job '" + d.job() + "'" + Suggest.didYouMean(d.job(), names));
                }
                if (d.job().equals(j.name())) {
                    throw new ScriptError(d.declaredAt(), "job '" + j.name() + "' cannot run after itself");
                }
            }
        }
    }

    /** Depth-first search; the error names the whole cycle and points at the edge that closes it. */
    private static void checkNoCycle(List<Job> jobs, Map<String, Job> byName) {
        Set<String> done = new HashSet<>();
        for (Job j : jobs) {
            visit(j, byName, new ArrayList<>(), new HashMap<>(), done);
        }
    }

    private static void visit(Job job, Map<String, Job> byName, List<String> path, Map<String, Integer> onPath, Set<String> done) {
        if (done.contains(job.name())) {
            return;
        }
        onPath.put(job.name(), path.size());
        path.add(job.name());
        for (Dependency d : job.after()) {
            Integer at = onPath.get(d.job());
            if (at != null) {
                List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
                cycle.add(d.job());
                throw new ScriptError(lastWritten(cycle, byName), "dependency cycle: " + String.join(" -> ", reversed(cycle)));
            }
            visit(byName.get(d.job()), byName, path, onPath, done);
        }
        path.remove(path.size() - 1);
        onPath.remove(job.name());
        done.add(job.name());
    }

    /** Read from the top, the cycle closes at the dependency written last, so that is the line to blame. */
    private static SourceRef lastWritten(List<String> cycle, Map<String, Job> byName) {
        SourceRef last = null;
        for (int i = 0; i + 1 < cycle.size(); i++) {
            String next = cycle.get(i + 1);
            for (Dependency d : byName.get(cycle.get(i)).after()) {
                if (d.job().equals(next) && (last == null || d.declaredAt().line() > last.line())) {
                    last = d.declaredAt();
                }
            }
        }
        return last;
    }

    /** Path holds "x runs after y" edges; people read cycles in run order. */
    private static List<String> reversed(List<String> cycle) {
        List<String> r = new ArrayList<>(cycle);
        java.util.Collections.reverse(r);
        return r;
    }
}
