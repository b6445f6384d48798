package xmrun.scheduler;

/**
 * One array task as a scheduler names it: the job id {@code sbatch}/{@code qsub} printed and the task
 * id within that array (Slurm counts from 0, SGE from 1; the adapter says which).
 */
public record TaskKey(String jobId, int taskId) {
    /** The form stored as a work unit's scheduler id: {@code 123_4} on Slurm, {@code 123.4} on SGE. */
    public String format(char separator) {
        return jobId + separator + taskId;
    }

    public static TaskKey parse(String schedulerId, char separator) {
        int at = schedulerId.indexOf(separator);
        return new TaskKey(schedulerId.substring(0, at), Integer.parseInt(schedulerId.substring(at + 1)));
    }
}
