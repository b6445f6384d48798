package xmrun.scheduler;

import java.util.List;

/**
 * One sweep point of a job group: its script (which starts every member) submitted once, the point
 * passed as $1. Slurm takes no arrays of heterogeneous jobs (sbatch(1), "Invalid job array
 * specification"), so a group goes out as one submission per point.
 *
 * @param jobName the scheduler's name of the submission: its first member's ({@code xm12-learner})
 * @param point   the sweep index of every member's work unit
 */
public record GroupSubmission(String script, String jobName, int point, List<ArraySubmission.After> after) {
}
