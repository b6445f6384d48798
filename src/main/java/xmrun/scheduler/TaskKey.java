package xmrun.scheduler;

/**
 * One array task as a scheduler names it: the job id {@code sbatch}/{@code qsub} printed and the task
 * id within that array (Slurm counts from 0, SGE from 1; the adapter says which). A member of a job
 * group is a component instead: {@code taskId} is the member's index, written {@code 123+1} as Slurm
 * writes the components of heterogeneous job 123.
 */
public record TaskKey(String jobId, int taskId, boolean component) {
    public TaskKey(String jobId, int taskId) {
        this(jobId, taskId, false);
    }

    public static TaskKey component(String jobId, int member) {
        return new TaskKey(jobId, member, true);
    }

    /** The form stored as a work unit's scheduler id: {@code 123_4} on Slurm, {@code 123.4} on SGE, {@code 123+1} for a component. */
    public String format(char separator) {
        return jobId + (component ? '+' : separator) + taskId;
    }

    public static TaskKey parse(String schedulerId, char separator) {
        int plus = schedulerId.indexOf('+');
        if (plus > 0) {
            return component(schedulerId.substring(0, plus), Integer.parseInt(schedulerId.substring(plus + 1)));
        }
        int at = schedulerId.indexOf(separator);
        return new TaskKey(schedulerId.substring(0, at), Integer.parseInt(schedulerId.substring(at + 1)));
    }
}
