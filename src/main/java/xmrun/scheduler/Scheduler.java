package xmrun.scheduler;

import xmrun.state.UnitStatus;
import xmrun.transport.ExecResult;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch scheduler, as pure functions: options in, command lines (argv) out, output parsed. An
 * adapter never starts a process; the executor runs its commands through a transport. Every query
 * covers all of an experiment's jobs in a constant number of calls.
 */
public interface Scheduler {

    /** "local", "slurm", "sge": the name users write, and the folder of its templates. */
    String name();

    Set<Capability> capabilities();

    /** The template of a job script, e.g. {@code slurm/job.sh.peb}. */
    default String template() {
        return name() + "/job.sh.peb";
    }

    /** Array task ids start here (Slurm 0, SGE 1). */
    int firstTaskId();

    /** The variable holding the task id inside a running task. */
    String taskIdVariable();

    /** A command whose output tells the scheduler's limits. */
    List<String> limitsCommand();

    /** The limits, parsed from {@link #limitsCommand()}'s output; throws {@link xmrun.Failure} if it says nothing usable. */
    Limits limits(ExecResult result);

    /** Directive lines for the script, prefix included ({@code #SBATCH --mem=16384M}). */
    List<String> directives(JobDirectives job);

    /**
     * The words that start the program as a job step with these options ({@code srun --cpu-bind=cores}),
     * or none where the scheduler has no steps: the program then runs directly.
     */
    default List<String> stepLauncher(List<String> options) {
        return List.of();
    }

    List<String> submitCommand(ArraySubmission submission);

    /** The job id from the submit command's output; throws {@link xmrun.Failure} with the scheduler's words if it said no. */
    String parseSubmit(ExecResult result);

    /** Between job id and task id in the scheduler's own notation: {@code 123_4} on Slurm, {@code 123.4} on SGE. */
    char taskSeparator();

    /** The stored scheduler id of one task, and back. */
    default String formatTask(TaskKey task) {
        return task.format(taskSeparator());
    }

    default TaskKey parseTask(String schedulerId) {
        return TaskKey.parse(schedulerId, taskSeparator());
    }

    /** Commands that together tell the state of every task of these jobs. */
    List<List<String>> statusCommands(List<String> jobIds, List<String> jobNames);

    /**
     * States of the tasks the status commands' results mention; a task left out is unknown to the scheduler.
     * {@code lastSeen} is what was last recorded of each task still open: a scheduler that forgets some tasks
     * without a trace (Grid Engine keeps no record of a task deleted before it started) needs it to tell what
     * became of them.
     */
    Map<TaskKey, UnitStatus> parseStatus(List<String> jobIds, List<ExecResult> results, Map<TaskKey, UnitStatus> lastSeen);

    /** An array found under one of our job names, with the sweep offset it was submitted with. */
    record FoundArray(String jobName, String jobId, int offset, int taskCount, String script) {
    }

    /** Commands listing the arrays that carry these job names; none where the scheduler cannot tell. */
    default List<List<String>> findArraysCommands(List<String> jobNames) {
        return List.of();
    }

    default List<FoundArray> parseFoundArrays(List<ExecResult> results) {
        return List.of();
    }

    /** The file, in the job's scheduler output dir, where the scheduler writes its own output for one task. */
    String outputFileName(String jobName, TaskKey task);

    /** Commands that let held jobs start (see {@link ArraySubmission#held()}). */
    List<List<String>> releaseCommands(List<String> jobIds);

    /** Commands that cancel whole jobs (every task of each array) and single tasks; as few as the scheduler allows. */
    List<List<String>> cancelCommands(List<String> wholeJobs, List<TaskKey> tasks);

    /** Whether a cancel command did what was asked; a job that had already ended counts as cancelled. */
    default boolean cancelled(ExecResult result) {
        return result.ok();
    }
}
