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

    /** The template of a job group's script (every member in one), e.g. {@code slurm/group.sh.peb}; only with {@link Capability#GROUPS}. */
    default String groupTemplate() {
        return name() + "/group.sh.peb";
    }

    /** Array task ids start here (Slurm 0, SGE 1). */
    int firstTaskId();

    /** The variable holding the task id inside a running task. */
    String taskIdVariable();

    /**
     * The scheduler's id of a running work unit, as a bash arithmetic expression over its variables: work units that
     * run at the same time get different values (the launch helpers derive their ports from it).
     */
    String runningUnitId();

    /** A command that prints the scheduler's version, recorded with each experiment; null where there is none to ask. */
    default List<String> versionCommand() {
        return null;
    }

    /** The version from {@link #versionCommand()}'s output: its first line, or null when it said nothing. */
    default String version(ExecResult result) {
        String out = result.stdout().isBlank() ? result.stderr() : result.stdout();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(null);
    }

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

    /**
     * The words that start a group member's program once, on the member's own first node (the group's script runs
     * on the first member's); by default {@link #stepLauncher}'s.
     */
    default List<String> groupMemberLauncher(int member, xmrun.model.Resources resources, List<String> options) {
        return stepLauncher(options);
    }

    List<String> submitCommand(ArraySubmission submission);

    /**
     * A submit command made to give the job these variables from the submitting command's environment, where xmrun
     * puts the values of secrets. Unchanged by default: sbatch exports its whole environment to the job
     * (--export=ALL is its default, sbatch(1)) and the local runner inherits the environment of its submit command.
     */
    default List<String> exporting(List<String> submitCommand, List<String> names) {
        return submitCommand;
    }

    /** Directive lines of a job group's script, from its members' in member order; only with {@link Capability#GROUPS}. */
    default List<String> groupDirectives(List<JobDirectives> members) {
        throw new UnsupportedOperationException(name() + " cannot start jobs together");
    }

    /** Submits one sweep point of a job group. By default a one-task array of the group's script, whose task starts every member. */
    default List<String> submitGroupCommand(GroupSubmission s) {
        return submitCommand(new ArraySubmission(s.script(), s.jobName(), s.point(), firstTaskId(), firstTaskId(), null, s.after()));
    }

    /** The scheduler's name of member {@code member} of the group submitted as {@code jobId}: a component ({@code 123+1}). */
    default TaskKey groupMember(String jobId, int member) {
        return TaskKey.component(jobId, member);
    }

    /** The job id from the submit command's output; throws {@link xmrun.Failure} with the scheduler's words if it said no. */
    String parseSubmit(ExecResult result);

    /** Which common fault a failed command's output shows (a controller not answering, a partition unknown), or null. */
    default Fault fault(ExecResult failed) {
        return null;
    }

    /** {@code what} failed: a {@link xmrun.Failure} that starts with the fault's first words when the output shows one. */
    default xmrun.Failure failure(String what, ExecResult failed) {
        return Fault.failure(failed.ok() ? null : fault(failed), what, failed);
    }

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
     * Commands to run once the {@link #statusCommands} have answered, for what those could not tell of the tasks in
     * {@code lastSeen}; their results follow the first ones in {@link #parseStatus}. None by default.
     */
    default List<List<String>> statusFollowUpCommands(List<String> jobIds, List<ExecResult> first, Map<TaskKey, UnitStatus> lastSeen) {
        return List.of();
    }

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

    /**
     * A command that asks when a job would start, submitting nothing; only with {@link Capability#START_ESTIMATES}.
     * {@code components} are the job's directives, one per member of a job group (which must start together).
     * The work dir and scheduler output dir in them are not known yet and may be null.
     */
    default List<String> startEstimateCommand(List<JobDirectives> components) {
        throw new UnsupportedOperationException(name() + " cannot tell when a job would start");
    }

    /** The answer of {@link #startEstimateCommand}: a start time, or the scheduler's refusal. */
    default StartEstimate parseStartEstimate(ExecResult result) {
        throw new UnsupportedOperationException(name() + " cannot tell when a job would start");
    }

    /** Whether a cancel command did what was asked; a job that had already ended counts as cancelled. */
    default boolean cancelled(ExecResult result) {
        return result.ok();
    }
}
