package xmrun.executor;

import xmrun.model.Job;
import xmrun.model.Walltime;
import xmrun.plan.Plan;
import xmrun.plan.WorkUnit;

import java.nio.file.Path;
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

    /** The XM_* variables first, then the job's own env, in the order the launcher wrote them. */
    public static Map<String, String> environment(long experimentId, WorkUnit unit, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("XM_EXPERIMENT_ID", Long.toString(experimentId));
        env.put("XM_WORK_UNIT_ID", Integer.toString(unit.id()));
        env.put("XM_JOB_NAME", unit.job());
        env.put("XM_WORK_DIR", workDir.toString());
        env.putAll(unit.env());
        return env;
    }

    public static Map<String, Object> forUnit(Plan plan, long experimentId, Job job, WorkUnit unit, Path unitDir) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("experiment", Map.of("id", experimentId, "name", plan.experiment().name()));
        ctx.put("job", jobVars(job));
        ctx.put("unit", Map.of("id", unit.id(), "index", unit.index(), "argv", unit.argv(), "point", unit.point()));
        ctx.put("env", environment(experimentId, unit, unitDir));
        ctx.put("codeDir", plan.experiment().launcher().getParent().toString());
        ctx.put("workDir", unitDir.toString());
        return ctx;
    }

    private static Map<String, Object> jobVars(Job job) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("name", job.name());
        vars.put("command", List.copyOf(job.command()));
        vars.put("cpus", job.resources().cpus());
        vars.put("memoryMib", job.resources().memoryMib());
        vars.put("gpus", job.resources().gpus());
        vars.put("time", job.resources().time() == null ? null : Walltime.clock(job.resources().time()));
        return vars;
    }
}
