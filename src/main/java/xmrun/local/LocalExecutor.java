package xmrun.local;

import xmrun.Failure;
import xmrun.executor.Executor;
import xmrun.executor.ScriptContext;
import xmrun.executor.ScriptFile;
import xmrun.model.Job;
import xmrun.plan.Plan;
import xmrun.render.ScriptRenderer;
import xmrun.render.ShellQuote;
import xmrun.state.UnitStatus;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.Transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs work units on this machine through a detached {@link LocalAgent}; status, cancel and logs read
 * and write the files of {@link LocalLayout}, so they work from any later xmrun process.
 */
public final class LocalExecutor implements Executor {
    static final String TEMPLATE = "local/job.sh.peb";

    private final Transport transport;
    private final int maxParallel;

    public LocalExecutor(Transport transport, int maxParallel) {
        this.transport = transport;
        this.maxParallel = maxParallel;
    }

    @Override
    public List<ScriptFile> render(Plan plan, long experimentId, Path workDir, ScriptRenderer renderer) {
        List<ScriptFile> files = new ArrayList<>();
        for (Job job : plan.jobsInSubmitOrder()) {
            String prefix = job.scheduler().launchPrefix().isEmpty() ? "" : ShellQuote.join(job.scheduler().launchPrefix()) + " ";
            Map<String, Object> ctx = ScriptContext.forJob(plan, experimentId, job, workDir,
                    new ScriptContext.Shape("0", 0, List.of(), prefix, job.scheduler().setup(),
                            plan.experiment().codeDir().toString())); // the agent passes the index as $1
            files.add(new ScriptFile(LocalLayout.jobScriptPath(job.name()), renderer.render(TEMPLATE, ctx), true));
        }
        files.add(new ScriptFile(LocalLayout.JOBS, jobsFile(plan), false));
        return files;
    }

    /** One script per job, whatever its size: the unit picks its line of the script's case table. */
    @Override
    public String scriptOf(Plan plan, int workUnitId) {
        return LocalLayout.jobScriptPath(plan.jobOf(workUnitId).name());
    }

    private static String jobsFile(Plan plan) {
        StringBuilder sb = new StringBuilder();
        for (Job job : plan.jobsInSubmitOrder()) {
            List<LocalJobLine.Dep> deps = new ArrayList<>();
            job.after().forEach(d -> deps.add(new LocalJobLine.Dep(d.job(), d.when())));
            sb.append(new LocalJobLine(job.name(), plan.firstWorkUnitId(job.name()), plan.workUnits(job).size(), deps).format())
                    .append('\n');
        }
        return sb.toString();
    }

    @Override
    public void submit(Plan plan, ExperimentRecord experiment, Map<Integer, String> known, Consumer<Map<Integer, String>> submitted) {
        LocalLayout layout = new LocalLayout(Path.of(experiment.workDir()));
        List<String> argv = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), LocalAgent.class.getName(),
                layout.experimentDir().toString(), Integer.toString(maxParallel)));
        long pid = transport.startDetached(argv, layout.agentLog());
        LocalLayout.writeAtomically(layout.agentPid(), Long.toString(pid));
        Map<Integer, String> ids = new LinkedHashMap<>();
        for (int id = 1; id <= plan.workUnitCount(); id++) {
            ids.put(id, "local-" + pid + "/" + id);
        }
        submitted.accept(ids);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    @Override
    public Map<Integer, UnitStatus> status(ExperimentRecord experiment, List<WorkUnitRecord> units) {
        LocalLayout layout = new LocalLayout(Path.of(experiment.workDir()));
        boolean agentRunning = agentRunning(layout);
        Map<Integer, UnitStatus> out = new LinkedHashMap<>();
        for (WorkUnitRecord u : units) {
            out.put(u.id(), statusOf(layout, u.id(), agentRunning));
        }
        return out;
    }

    private static boolean agentRunning(LocalLayout layout) {
        if (Files.exists(layout.experimentDir().resolve("agent.done"))) {
            return false;
        }
        String pid = LocalLayout.readOrNull(layout.agentPid());
        return pid != null && Processes.isRunning(Long.parseLong(pid));
    }

    /** The files, read in the order the agent writes them, say where a unit is. */
    static UnitStatus statusOf(LocalLayout layout, int id, boolean agentRunning) {
        String cancelled = LocalLayout.readOrNull(layout.cancelled(id));
        String exit = LocalLayout.readOrNull(layout.exitCode(id));
        String pid = LocalLayout.readOrNull(layout.pid(id));
        Instant started = pid == null ? null : LocalLayout.modifiedOrNull(layout.pid(id));
        if (exit != null) {
            int code = Integer.parseInt(exit);
            Instant ended = LocalLayout.modifiedOrNull(layout.exitCode(id));
            WorkUnitState s = cancelled != null ? WorkUnitState.CANCELLED : code == 0 ? WorkUnitState.SUCCEEDED : WorkUnitState.FAILED;
            return new UnitStatus(s, code, started, ended, cancelled);
        }
        if (pid != null) {
            if (Processes.isRunning(Long.parseLong(pid))) {
                return new UnitStatus(WorkUnitState.RUNNING, null, started, null);
            }
            // it ended, but no agent was left to record how: only the machine going down does that
            return new UnitStatus(WorkUnitState.UNKNOWN, null, started, null, "ended without an exit code (agent gone)");
        }
        if (cancelled != null) {
            return new UnitStatus(WorkUnitState.CANCELLED, null, null, LocalLayout.modifiedOrNull(layout.cancelled(id)), cancelled);
        }
        return agentRunning ? new UnitStatus(WorkUnitState.PENDING, null, null, null)
                : new UnitStatus(WorkUnitState.UNKNOWN, null, null, null, "never started (agent gone)");
    }

    @Override
    public void cancel(ExperimentRecord experiment, List<WorkUnitRecord> units) {
        LocalLayout layout = new LocalLayout(Path.of(experiment.workDir()));
        List<String> kill = new ArrayList<>(List.of("kill", "-TERM", "--"));
        for (WorkUnitRecord u : units) {
            if (Files.exists(layout.exitCode(u.id())) || Files.exists(layout.cancelled(u.id()))) {
                continue;
            }
            // marker first, then the pid: see LocalAgent.start for the other half of this handshake
            createDirectories(layout.unitDir(u.id()));
            LocalLayout.writeAtomically(layout.cancelled(u.id()), "cancelled by user");
            String pid = LocalLayout.readOrNull(layout.pid(u.id()));
            if (pid != null && Processes.isRunning(Long.parseLong(pid))) {
                kill.add("-" + pid); // the unit's process group: its children stop too
            }
        }
        if (kill.size() > 3) {
            var result = transport.run(kill);
            if (!result.ok() && !result.stderr().contains("No such process")) {
                throw new Failure("kill failed: " + result.stderr().strip());
            }
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new Failure("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String outputPath(ExperimentRecord experiment, WorkUnitRecord unit, Output which) {
        return Executor.unitOutput(experiment, unit, which);
    }

    @Override
    public Transport transport() {
        return transport;
    }
}
