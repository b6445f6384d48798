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
    public static Map<String, Object> forJob(Plan plan, long experimentId, Job job, Path workDir) {
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
        ctx.put("codeDir", plan.experiment().launcher().getParent().toString());
        ctx.put("workDir", workDir.toString());
        return ctx;
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
