package xmrun.plan;

import xmrun.model.ArgFormat;
import xmrun.model.Experiment;
import xmrun.model.Group;
import xmrun.model.Job;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * An experiment's jobs in the order they must be submitted (every job after the jobs it depends on),
 * with the range of work unit ids each job owns. Work units are computed on demand from the sweep,
 * so a plan of 100,000 points costs a few objects, not 100,000.
 */
public final class Plan {
    private final Experiment experiment;
    private final List<Job> order;
    private final Map<String, Integer> firstId = new LinkedHashMap<>();

    public Plan(Experiment experiment) {
        this.experiment = experiment;
        this.order = SubmitOrder.of(experiment.jobs());
        int next = 1;
        for (Job job : experiment.jobs()) { // ids follow the launcher's order, which users read
            firstId.put(job.name(), next);
            next = Math.addExact(next, Math.toIntExact(job.workUnitCount()));
        }
    }

    private Plan(Plan whole, List<Job> order) {
        this.experiment = whole.experiment;
        this.order = List.copyOf(order);
        this.firstId.putAll(whole.firstId);
    }

    /**
     * The part of the plan made of these jobs, to render and submit on its own (on one of several clusters): its work
     * units keep the ids they have in the whole plan. Every job they wait for must be among them.
     */
    public Plan only(java.util.Collection<String> jobs) {
        Set<String> names = Set.copyOf(jobs);
        List<Job> part = order.stream().filter(j -> names.contains(j.name())).toList();
        for (Job j : part) {
            j.after().stream().filter(d -> !names.contains(d.job())).findFirst().ifPresent(d -> {
                throw new IllegalArgumentException("job " + j.name() + " waits for " + d.job() + ", which is not in the part");
            });
        }
        return new Plan(this, part);
    }

    /** The groups whose members are among this plan's jobs. */
    public List<Group> groups() {
        Set<String> mine = new java.util.HashSet<>();
        order.forEach(j -> mine.add(j.name()));
        return experiment.groups().stream().filter(g -> mine.contains(g.members().get(0))).toList();
    }

    /**
     * This plan's jobs as chains that must run on one cluster, since a scheduler's dependencies do not cross
     * clusters and a group's members start together: jobs joined by {@code after} or by a group, transitively.
     * Each chain is in submit order, so its first job is the one that starts first; chains are in the order of
     * their first jobs.
     */
    public List<List<Job>> chains() {
        Map<String, String> parent = new HashMap<>();
        order.forEach(j -> parent.put(j.name(), j.name()));
        for (Job j : order) {
            j.after().forEach(d -> union(parent, j.name(), d.job()));
            Group g = groupOf(j);
            if (g != null) {
                g.members().forEach(m -> union(parent, j.name(), m));
            }
        }
        Map<String, List<Job>> byRoot = new LinkedHashMap<>();
        for (Job j : order) {
            byRoot.computeIfAbsent(root(parent, j.name()), r -> new ArrayList<>()).add(j);
        }
        return byRoot.values().stream().map(List::copyOf).toList();
    }

    private static String root(Map<String, String> parent, String name) {
        String r = name;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        return r;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = root(parent, a);
        String rb = root(parent, b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }

    public Experiment experiment() {
        return experiment;
    }

    /** Jobs, dependencies first. */
    public List<Job> jobsInSubmitOrder() {
        return order;
    }

    /** The group a job is a member of, or null. */
    public Group groupOf(Job job) {
        return experiment.groupOf(job);
    }

    /** A group's member jobs, in member order. */
    public List<Job> members(Group group) {
        return group.members().stream().map(experiment::job).toList();
    }

    public int firstWorkUnitId(String job) {
        return firstId.get(job);
    }

    public Job jobOf(int workUnitId) {
        for (Job job : experiment.jobs()) {
            int first = firstId.get(job.name());
            if (workUnitId >= first && workUnitId < first + job.workUnitCount()) {
                return job;
            }
        }
        throw new IllegalArgumentException("no work unit " + workUnitId);
    }

    public int workUnitCount() {
        return Math.toIntExact(experiment.workUnitCount());
    }

    /** The job's work units as a list view: each element is built when it is read. */
    public List<WorkUnit> workUnits(Job job) {
        int size = Math.toIntExact(job.workUnitCount());
        return new AbstractList<>() {
            public WorkUnit get(int index) {
                return workUnit(job, index);
            }

            public int size() {
                return size;
            }
        };
    }

    public List<WorkUnit> allWorkUnits() {
        List<WorkUnit> all = new ArrayList<>(workUnitCount());
        experiment.jobs().forEach(j -> all.addAll(workUnits(j)));
        return all;
    }

    /** A unit's arguments: the job's, then its point's values, except those of env axes, which go to its environment. */
    public WorkUnit workUnit(Job job, int index) {
        Map<String, Object> point = job.sweep().point(index);
        Set<String> envAxes = envAxesByJob.computeIfAbsent(job.name(), j -> job.sweep().envNames());
        List<String> argv = new ArrayList<>(job.command().size() + job.args().size() + point.size());
        argv.addAll(job.command());
        argv.addAll(job.args());
        Map<String, String> env = job.env();
        if (!envAxes.isEmpty()) {
            env = new LinkedHashMap<>(env);
        }
        for (Map.Entry<String, Object> e : point.entrySet()) {
            if (envAxes.contains(e.getKey())) {
                env.put(e.getKey(), ArgFormat.value(e.getValue()));
            } else {
                argv.add(named(e.getKey(), e.getValue()));
            }
        }
        return new WorkUnit(firstId.get(job.name()) + index, job.name(), index, argv, env, point);
    }

    /** The job's env axes' names, once per job: a 100,000-unit launch asks for them 100,000 times. */
    private final Map<String, Set<String>> envAxesByJob = new HashMap<>();

    /**
     * {@code --axis=value}, made once per axis and value: a sweep's points reuse its axes' few values (the objects of
     * the launcher's lists), and a 100,000-unit launch would otherwise format each value tens of thousands of times.
     */
    private String named(String axis, Object value) {
        return namedArgs.computeIfAbsent(axis, a -> new IdentityHashMap<>()).computeIfAbsent(value, v -> ArgFormat.named(axis, v));
    }

    private final Map<String, Map<Object, String>> namedArgs = new HashMap<>();
}
