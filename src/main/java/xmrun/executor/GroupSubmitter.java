package xmrun.executor;

import xmrun.model.Group;
import xmrun.model.Job;
import xmrun.plan.Plan;
import xmrun.render.JobScripts;
import xmrun.scheduler.ArraySubmission;
import xmrun.scheduler.GroupSubmission;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.store.ExperimentRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Submits a job group: its script once per sweep point (Slurm takes no arrays of heterogeneous jobs),
 * each submission starting one work unit of every member. Member I of the submission with id J is the
 * scheduler's {@link Scheduler#groupMember}(J, I), {@code J+I} on Slurm.
 */
final class GroupSubmitter {
    private final Cluster cluster;
    private final Scheduler scheduler;
    private final Secrets secrets;

    GroupSubmitter(Cluster cluster, Secrets secrets) {
        this.cluster = cluster;
        this.scheduler = cluster.scheduler();
        this.secrets = secrets;
    }

    /**
     * @param known        member units already submitted: their point is not submitted again
     * @param submittedNow gets each new submission's id, so a failed launch can take them back
     * @return the ids of the group's submissions, one per point, for the jobs that run after it
     */
    List<String> submit(Plan plan, Group group, ExperimentRecord experiment, List<ArraySubmission.After> after,
                        Map<Integer, String> known, List<String> submittedNow, Consumer<Map<Integer, String>> submitted) {
        List<Job> members = plan.members(group);
        int points = Math.toIntExact(members.get(0).workUnitCount());
        String script = script(experiment, members.get(0));
        String name = Cluster.jobName(experiment.id(), members.get(0).name());
        List<String> ids = new ArrayList<>();
        List<String> secretNames = members.stream().flatMap(m -> m.secretNames().stream()).distinct().toList();
        for (int point = 0; point < points; point++) {
            String earlier = known.get(plan.firstWorkUnitId(members.get(0).name()) + point);
            if (earlier != null) {
                ids.add(scheduler.parseTask(earlier).jobId());
                continue;
            }
            GroupSubmission s = new GroupSubmission(script, name, point, after);
            String id = scheduler.parseSubmit(Submitter.submit(cluster, scheduler.submitGroupCommand(s), secretNames, secrets));
            submittedNow.add(id);
            ids.add(id);
            submitted.accept(units(plan, members, point, id));
        }
        return ids;
    }

    /** Each member's work unit at {@code point}, with the scheduler's name of it. */
    private Map<Integer, String> units(Plan plan, List<Job> members, int point, String id) {
        Map<Integer, String> units = new LinkedHashMap<>();
        for (int m = 0; m < members.size(); m++) {
            units.put(plan.firstWorkUnitId(members.get(m).name()) + point, scheduler.formatTask(scheduler.groupMember(id, m)));
        }
        return units;
    }

    /**
     * Points of an interrupted launch the scheduler has although the store does not: among what was found under the
     * experiment's job names, the submissions of the group's script under its first member's name.
     */
    Map<Integer, String> found(Plan plan, Group group, ExperimentRecord experiment, List<Scheduler.FoundArray> arrays) {
        List<Job> members = plan.members(group);
        String script = script(experiment, members.get(0));
        String name = Cluster.jobName(experiment.id(), members.get(0).name());
        Map<Integer, String> found = new LinkedHashMap<>();
        for (Scheduler.FoundArray a : arrays) {
            if (a.script().equals(script) && a.jobName().equals(name) && a.offset() < members.get(0).workUnitCount()) {
                found.putAll(units(plan, members, a.offset(), a.jobId()));
            }
        }
        return found;
    }

    static String script(ExperimentRecord experiment, Job member) {
        return JobScripts.scriptIn(experiment.workDir(), member);
    }
}
