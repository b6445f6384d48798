package xmrun.scheduler;

import xmrun.model.Dependency;

import java.util.List;

/**
 * One array submission: tasks {@code firstTask..lastTask} of a job's rendered script, whose sweep
 * indices start at {@code offset} (passed to the script as $1, so a job larger than the
 * scheduler's array limit goes out as several arrays of the same script).
 *
 * @param after     the scheduler job ids each dependency resolved to, in launch order
 * @param parallel  at most this many tasks at once (Slurm {@code %N}, SGE {@code -tc}); null = no limit
 * @param retryList for a retry, the file listing the units it runs again (then {@code offset} is unused), else null
 * @param held      submitted held: it starts only when released ({@link Scheduler#releaseCommands}); xmrun does that
 *                  once the jobs it waits for have ended for good, retries included
 */
public record ArraySubmission(String script, String jobName, int offset, int firstTask, int lastTask, Integer parallel,
                              List<After> after, String retryList, boolean held) {

    public ArraySubmission(String script, String jobName, int offset, int firstTask, int lastTask, Integer parallel, List<After> after) {
        this(script, jobName, offset, firstTask, lastTask, parallel, after, null, false);
    }

    /** The script's $1: the sweep offset, or {@code @FILE} for a retry (see common/work-unit.sh.peb). */
    public String scriptArgument() {
        return retryList != null ? "@" + retryList : Integer.toString(offset);
    }

    public record After(Dependency.When when, List<String> jobIds) {
    }

    public int taskCount() {
        return lastTask - firstTask + 1;
    }
}
