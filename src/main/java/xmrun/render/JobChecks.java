package xmrun.render;

import xmrun.model.Group;
import xmrun.model.Job;
import xmrun.model.Launch;
import xmrun.model.ScriptError;
import xmrun.plan.Plan;
import xmrun.scheduler.Capability;
import xmrun.scheduler.Scheduler;

/**
 * What a launcher asks that the scheduler it goes to cannot do, found before anything is written or
 * submitted and reported at the launcher's line. Asked of the scheduler's capabilities, never its name.
 */
final class JobChecks {
    private JobChecks() {
    }

    static void check(Plan plan, Scheduler scheduler) {
        for (Job job : plan.jobsInSubmitOrder()) {
            Group group = plan.groupOf(job);
            if (group != null && !scheduler.capabilities().contains(Capability.GROUPS)) {
                throw new ScriptError(group.declaredAt(), "group '" + group.name() + "': the " + scheduler.name()
                        + " scheduler cannot start jobs together (it has no co-scheduling); run them as separate jobs, or on Slurm");
            }
            checkLaunch(job, scheduler);
        }
    }

    private static void checkLaunch(Job job, Scheduler scheduler) {
        boolean steps = scheduler.capabilities().contains(Capability.MULTI_NODE);
        Launch launch = job.launch();
        if (job.resources().multiNode() && !steps) {
            throw new ScriptError(job.declaredAt(), "job '" + job.name() + "' asks for " + job.resources().nodeCount() + " nodes"
                    + (launch instanceof Launch.Direct ? "" : " for " + launch.word()) + "; the " + scheduler.name()
                    + " scheduler runs a work unit on one node (nodes 1): run it on Slurm");
        }
        if (launch instanceof Launch.Srun && !steps) {
            throw new ScriptError(launch.declaredAt(), "job '" + job.name() + "': launch srun() starts the program as Slurm job steps, "
                    + "which the " + scheduler.name() + " scheduler does not have; drop it to run the program once");
        }
        if (launch instanceof Launch.Ray ray && ray.symmetric() && !steps) {
            throw new ScriptError(launch.declaredAt(), "job '" + job.name() + "': launch ray(symmetric: true) runs `ray symmetric-run` "
                    + "on every node through srun, which the " + scheduler.name() + " scheduler does not have; use launch ray()");
        }
    }
}
