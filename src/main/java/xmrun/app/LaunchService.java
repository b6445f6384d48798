package xmrun.app;

import xmrun.dsl.LauncherLoader;
import xmrun.executor.Executor;
import xmrun.executor.ScriptFile;
import xmrun.model.Experiment;
import xmrun.model.Job;
import xmrun.plan.Plan;
import xmrun.plan.WorkUnit;
import xmrun.render.ScriptRenderer;
import xmrun.render.TemplateChain;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.stage.Stager;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.LocalTransport;
import xmrun.transport.Transport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * launcher file -> experiment -> plan -> rendered files -> store -> submission. Everything that can
 * fail on the user's input fails before the store hears of the experiment; a failure after that but
 * before submission removes what was written, so nothing is left half-launched.
 */
public final class LaunchService {
    private final XmrunHome home;
    private final Function<String, Executor> executors;

    public LaunchService(XmrunHome home) {
        this(home, new Clusters(home)::executorFor);
    }

    /** @param executors the executor for a cluster name (tests pass one that counts scheduler calls) */
    public LaunchService(XmrunHome home, Function<String, Executor> executors) {
        this.home = home;
        this.executors = executors;
    }

    /** The launcher evaluated and planned, with the executor and renderer it will use. */
    public record Prepared(Plan plan, String cluster, ScriptRenderer renderer) {
        public Experiment experiment() {
            return plan.experiment();
        }
    }

    public Prepared prepare(Path launcher, String displayName, List<String> scriptArgs, String clusterOverride) {
        Experiment experiment = LauncherLoader.load(launcher, displayName, scriptArgs);
        String cluster = clusterOverride != null ? clusterOverride : experiment.cluster();
        Path launcherDir = experiment.launcher().getParent();
        ScriptRenderer renderer = new ScriptRenderer(TemplateChain.forLauncher(launcherDir, home.configDir()));
        return new Prepared(new Plan(experiment), cluster, renderer);
    }

    /** Writes every script into {@code outDir} as experiment 0 and submits nothing. */
    public List<Path> render(Prepared prepared, Path outDir) {
        Executor executor = executors.apply(prepared.cluster());
        Path dir = outDir.toAbsolutePath();
        List<ScriptFile> files = executor.render(prepared.plan(), 0, dir, prepared.renderer());
        new LocalTransport().write(contents(dir.toString(), files)); // render always writes here, wherever the cluster is
        return files.stream().map(f -> dir.resolve(f.relativePath())).toList();
    }

    /** Renders every script in memory and throws them away: a dry run's check of the templates. */
    public int renderOnly(Prepared prepared) {
        Executor executor = executors.apply(prepared.cluster());
        return executor.render(prepared.plan(), 0, home.experimentsDir().resolve("0"), prepared.renderer()).size();
    }

    /** A launched experiment, and what staging its code moved (empty when it runs where the code is). */
    public record Launched(ExperimentRecord experiment, Optional<Stager.Result> staged) {
    }

    public Launched launch(Prepared prepared, List<String> scriptArgs) {
        Plan plan = prepared.plan();
        Executor executor = executors.apply(prepared.cluster());
        Optional<Stager.Result> staged = executor.stage(plan); // before the store hears of it: a failure leaves nothing
        try (ExperimentStore store = ExperimentStore.open(home.storeFile())) {
            ExperimentRecord exp = store.createExperiment(plan.experiment().name(), plan.experiment().launcher().toString(),
                    prepared.cluster(), executor.experimentsDir(home.experimentsDir()), scriptArgs);
            Path workDir = Path.of(exp.workDir());
            try {
                executor.transport().write(contents(exp.workDir(), executor.render(plan, exp.id(), workDir, prepared.renderer())));
                store.addWorkUnits(records(plan, exp, executor));
                store.markSubmitted(exp.id(), executor.submit(plan, exp), Instant.now());
            } catch (RuntimeException e) {
                store.deleteExperiment(exp.id()); // the executor took back whatever it had submitted
                executor.transport().run(List.of("rm", "-rf", "--", exp.workDir()));
                throw e;
            }
            return new Launched(exp, staged);
        }
    }

    private static List<WorkUnitRecord> records(Plan plan, ExperimentRecord exp, Executor executor) {
        List<WorkUnitRecord> out = new ArrayList<>(plan.workUnitCount());
        for (Job job : plan.experiment().jobs()) {
            for (WorkUnit u : plan.workUnits(job)) {
                out.add(new WorkUnitRecord(exp.id(), u.id(), u.job(), u.index(), u.argv(), u.env(),
                        Path.of(exp.workDir()).resolve(executor.scriptOf(plan, u.id())).toString(), null,
                        WorkUnitState.SUBMITTED, null, null, null, null));
            }
        }
        return out;
    }

    private static List<Transport.FileContent> contents(String dir, List<ScriptFile> files) {
        return files.stream().map(f -> new Transport.FileContent(dir + "/" + f.relativePath(),
                f.content().getBytes(StandardCharsets.UTF_8), f.executable())).toList();
    }
}
