package xmrun.app;

import xmrun.Failure;
import xmrun.UserError;
import xmrun.dsl.LauncherLoader;
import xmrun.executor.Executor;
import xmrun.executor.ScriptFile;
import xmrun.model.Experiment;
import xmrun.packs.Grapes;
import xmrun.packs.PackResolver;
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
import xmrun.transport.ConnectionLost;
import xmrun.transport.LocalTransport;
import xmrun.transport.Transport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * launcher file -> experiment -> plan -> rendered files -> store -> submission. Everything that can
 * fail on the user's input fails before the store hears of the experiment; a failure after that but
 * before submission removes what was written, so nothing is left half-launched.
 */
public final class LaunchService {
    private final XmrunHome home;
    private final Clusters clusters;
    private final Function<String, Executor> executors;

    public LaunchService(XmrunHome home) {
        this(home, new Clusters(home));
    }

    public LaunchService(XmrunHome home, Clusters clusters) {
        this(home, clusters, clusters::executorFor);
    }

    /** @param executors the executor for a cluster name (tests pass one that counts scheduler calls) */
    public LaunchService(XmrunHome home, Function<String, Executor> executors) {
        this(home, new Clusters(home), executors);
    }

    private LaunchService(XmrunHome home, Clusters clusters, Function<String, Executor> executors) {
        this.home = home;
        this.clusters = clusters;
        this.executors = executors;
    }

    /** The launcher evaluated and planned, with the executor and renderer it will use. */
    public record Prepared(Plan plan, String cluster, ScriptRenderer renderer, String source) {
        public Experiment experiment() {
            return plan.experiment();
        }
    }

    public Prepared prepare(Path launcher, String displayName, List<String> scriptArgs, String clusterOverride) {
        return prepare(launcher, LauncherLoader.read(launcher, displayName), displayName, scriptArgs, clusterOverride);
    }

    private Prepared prepare(Path launcher, String source, String displayName, List<String> scriptArgs, String clusterOverride) {
        if (source.contains("@Grab")) {
            Grapes.configure(clusters.config().repositories(), home.dir().resolve("grapes"));
        }
        Experiment experiment = LauncherLoader.load(launcher, source, displayName, scriptArgs);
        String cluster = clusterOverride != null ? clusterOverride : experiment.cluster();
        List<String> packs = new ArrayList<>(experiment.templatePacks());
        packs.addAll(clusters.templatePacks(cluster));
        ScriptRenderer renderer = new ScriptRenderer(TemplateChain.forLauncher(experiment.launcher().getParent(), home.configDir(),
                packPlaces(packs)));
        return new Prepared(new Plan(experiment), cluster, renderer, source);
    }

    /** Packs are resolved (or read from the cache) only when a launcher or its cluster names some. */
    private List<TemplateChain.Place> packPlaces(List<String> coordinates) {
        if (coordinates.isEmpty()) {
            return List.of();
        }
        PackResolver resolver = new PackResolver(clusters.config().repositories(), home.dir().resolve("packs"));
        List<TemplateChain.Place> places = new ArrayList<>();
        for (String c : coordinates) {
            places.add(new TemplateChain.Place("pack " + c, null, resolver.resolve(c)));
        }
        return places;
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
        return launch(prepared, scriptArgs, xmrun.stage.Progress.NONE);
    }

    public Launched launch(Prepared prepared, List<String> scriptArgs, xmrun.stage.Progress uploads) {
        Plan plan = prepared.plan();
        Executor executor = executors.apply(prepared.cluster());
        Optional<Stager.Result> staged = executor.stage(plan, uploads); // before the store hears of it: a failure leaves nothing
        try (ExperimentStore store = ExperimentStore.open(home.storeFile())) {
            ExperimentRecord exp = store.createExperiment(plan.experiment().name(), plan.experiment().launcher().toString(),
                    prepared.source(), prepared.cluster(), executor.experimentsDir(home.experimentsDir(), store.storeId()), scriptArgs);
            try {
                executor.transport().write(contents(exp.workDir(), executor.render(plan, exp.id(), Path.of(exp.workDir()),
                        prepared.renderer())));
                store.addWorkUnits(records(plan, exp, executor));
            } catch (RuntimeException e) {
                forget(store, exp, executor);
                throw e;
            }
            submit(store, executor, plan, exp, Map.of());
            return new Launched(exp, staged);
        }
    }

    /**
     * Submits what the store does not have yet; each accepted batch is recorded at once. A refused
     * submission was taken back by the executor, so the experiment is forgotten; a dropped
     * connection leaves the experiment as far as it got, for {@code xmrun resume}.
     */
    private void submit(ExperimentStore store, Executor executor, Plan plan, ExperimentRecord exp, Map<Integer, String> known) {
        try {
            executor.submit(plan, exp, known, ids -> store.markSubmitted(exp.id(), ids, Instant.now()));
        } catch (ConnectionLost e) {
            long done = store.workUnits(exp.id()).stream().filter(u -> u.schedulerId() != null).count();
            throw new Failure(e.getMessage() + ". Experiment " + exp.id() + " has " + done + " of " + plan.workUnitCount()
                    + " work units submitted; submit the rest with: xmrun resume " + exp.id());
        } catch (RuntimeException e) {
            if (known.isEmpty()) {
                forget(store, exp, executor);
            }
            throw e;
        }
    }

    private static void forget(ExperimentStore store, ExperimentRecord exp, Executor executor) {
        store.deleteExperiment(exp.id());
        try {
            executor.transport().run(List.of("rm", "-rf", "--", exp.workDir()));
        } catch (Failure ignored) {
            // the files are unreferenced now; a transport that broke cannot remove them, and need not
        }
    }

    /**
     * Submits the work units an interrupted launch did not: evaluates the launcher as it was launched,
     * adopts arrays the scheduler got without the store hearing of it, and submits the rest.
     *
     * @return how many work units this resume submitted
     */
    public int resume(ExperimentRecord exp) {
        try (ExperimentStore store = ExperimentStore.open(home.storeFile())) {
            String source = store.launcherSource(exp.id());
            if (source == null) {
                throw new UserError("experiment " + exp.id() + " was launched by an xmrun that did not keep its launcher; relaunch it");
            }
            List<WorkUnitRecord> units = store.workUnits(exp.id());
            long missing = units.stream().filter(u -> u.state() == WorkUnitState.UNSUBMITTED).count();
            if (missing == 0) {
                return 0;
            }
            Path launcher = Path.of(exp.launcher());
            Plan plan = prepare(launcher, source, launcher.getFileName().toString(), exp.scriptArgs(), exp.cluster()).plan();
            checkSamePlan(plan, units, exp);
            Executor executor = executors.apply(exp.cluster());
            Map<Integer, String> known = new java.util.HashMap<>();
            units.stream().filter(u -> u.schedulerId() != null).forEach(u -> known.put(u.id(), u.schedulerId()));
            Map<Integer, String> adopted = new java.util.HashMap<>(executor.findSubmitted(plan, exp));
            adopted.keySet().removeAll(known.keySet());
            if (!adopted.isEmpty()) {
                store.markSubmitted(exp.id(), adopted, Instant.now());
                known.putAll(adopted);
            }
            submit(store, executor, plan, exp, known);
            return (int) (missing - adopted.size());
        }
    }

    /** A launcher that evaluates differently now (time, randomness) cannot be resumed safely. */
    private static void checkSamePlan(Plan plan, List<WorkUnitRecord> units, ExperimentRecord exp) {
        List<WorkUnit> now = plan.allWorkUnits();
        boolean same = now.size() == units.size();
        for (int i = 0; same && i < now.size(); i++) {
            same = now.get(i).argv().equals(units.get(i).argv()) && now.get(i).job().equals(units.get(i).job());
        }
        if (!same) {
            throw new UserError("experiment " + exp.id() + ": the launcher no longer evaluates to the same work units; cancel it and launch again");
        }
    }

    private static List<WorkUnitRecord> records(Plan plan, ExperimentRecord exp, Executor executor) {
        List<WorkUnitRecord> out = new ArrayList<>(plan.workUnitCount());
        for (Job job : plan.experiment().jobs()) {
            for (WorkUnit u : plan.workUnits(job)) {
                out.add(new WorkUnitRecord(exp.id(), u.id(), u.job(), u.index(), u.argv(), u.env(),
                        Path.of(exp.workDir()).resolve(executor.scriptOf(plan, u.id())).toString(), null,
                        WorkUnitState.UNSUBMITTED, null, null, null, null));
            }
        }
        return out;
    }

    private static List<Transport.FileContent> contents(String dir, List<ScriptFile> files) {
        return files.stream().map(f -> new Transport.FileContent(dir + "/" + f.relativePath(),
                f.content().getBytes(StandardCharsets.UTF_8), f.executable())).toList();
    }
}
