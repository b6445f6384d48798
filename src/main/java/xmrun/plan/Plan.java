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
        if (envAxes.isEmpty()) {
            ArgFormat.appendNamed(point, argv);
        } else {
            env = new LinkedHashMap<>(env);
            for (Map.Entry<String, Object> e : point.entrySet()) {
                if (envAxes.contains(e.getKey())) {
                    env.put(e.getKey(), ArgFormat.value(e.getValue()));
                } else {
                    argv.add(ArgFormat.named(e.getKey(), e.getValue()));
                }
            }
        }
        return new WorkUnit(firstId.get(job.name()) + index, job.name(), index, argv, env, point);
    }

    /** The job's env axes' names, once per job: a 100,000-unit launch asks for them 100,000 times. */
    private final Map<String, Set<String>> envAxesByJob = new HashMap<>();
}
