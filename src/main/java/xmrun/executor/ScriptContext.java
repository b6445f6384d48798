package xmrun.executor;

import xmrun.model.Job;
import xmrun.model.Walltime;
import xmrun.plan.Plan;
import xmrun.plan.WorkUnit;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables every job template sees. Values are computed here in Java; templates only lay them
 * out (and quote them with | shq).
 */
public final class ScriptContext {
    private ScriptContext() {
    }

    /** Variables for a job's script: the job, and its work units as a list built while the template reads it. */
    /**
     * What differs between executors in a job script.
     *
     * @param taskIdVariable shell expression of the array task id ("0" when the index comes in $1 alone)
     * @param launchPrefix   already quoted words before the program ({@code srun --x nsys profile }), or ""
     * @param setup          shell lines at the top of the script (the cluster's, then the job's)
     * @param codeDir        where the work unit starts: the code directory, or its staged copy on the cluster
     */
    public record Shape(String taskIdVariable, int firstTaskId, List<String> directives, String launchPrefix, List<String> setup,
                        String codeDir) {
    }

    public static Map<String, Object> forJob(Plan plan, long experimentId, Job job, Path workDir, Shape shape) {
        List<WorkUnit> units = plan.workUnits(job);
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("experiment", Map.of("id", experimentId, "name", plan.experiment().name()));
        ctx.put("job", jobVars(job, plan.firstWorkUnitId(job.name()), units.size()));
        ctx.put("units", new AbstractList<Map<String, Object>>() {
            public Map<String, Object> get(int i) {
                WorkUnit u = units.get(i);
                return Map.of("id", u.id(), "index", u.index(), "argv", u.argv(), "point", u.point());
            }

            public int size() {
                return units.size();
            }
        });
        ctx.put("codeDir", shape.codeDir());
        ctx.put("workDir", workDir.toString());
        ctx.put("taskIdVariable", shape.taskIdVariable());
        ctx.put("firstTaskId", shape.firstTaskId());
        ctx.put("directives", shape.directives());
        ctx.put("launchPrefix", shape.launchPrefix());
        ctx.put("setup", shape.setup());
        ctx.put("preRun", job.scheduler().preRun());
        ctx.put("postRun", job.scheduler().postRun());
        ctx.put("after", after(plan, job));
        return ctx;
    }

    /** The jobs this one waits for, with their work unit ids, for schedulers that check the outcome in the script. */
    private static List<Map<String, Object>> after(Plan plan, Job job) {
        return job.after().stream().map(d -> {
            int first = plan.firstWorkUnitId(d.job());
            int count = Math.toIntExact(plan.experiment().job(d.job()).workUnitCount());
            return Map.<String, Object>of("job", d.job(), "when", d.when().name().toLowerCase(), "firstId", first,
                    "lastId", first + count - 1);
        }).toList();
    }

    private static Map<String, Object> jobVars(Job job, int firstId, int count) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("name", job.name());
        vars.put("firstId", firstId);
        vars.put("lastId", firstId + count - 1);
        vars.put("count", count);
        vars.put("env", job.env());
        vars.put("cpus", job.resources().cpus());
        vars.put("memoryMib", job.resources().memoryMib());
        vars.put("gpus", job.resources().gpus());
        vars.put("time", job.resources().time() == null ? null : Walltime.clock(job.resources().time()));
        return vars;
    }
}
