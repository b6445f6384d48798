package xmrun.app;

import xmrun.Failure;
import xmrun.UserError;
import xmrun.config.ClusterSpec;
import xmrun.dsl.LauncherLoader;
import xmrun.dsl.Sources;
import xmrun.executor.Cluster;
import xmrun.executor.ClusterChooser;
import xmrun.executor.ImagePins;
import xmrun.executor.Secrets;
import xmrun.executor.Staging;
import xmrun.executor.Submitter;
import xmrun.model.Experiment;
import xmrun.model.Job;
import xmrun.model.ImagePin;
import xmrun.packs.Grapes;
import xmrun.packs.PackResolver;
import xmrun.plan.Plan;
import xmrun.plan.WorkUnit;
import xmrun.render.JobScripts;
import xmrun.render.ScriptFile;
import xmrun.render.ScriptRenderer;
import xmrun.render.TemplateChain;
import xmrun.stage.Progress;
import xmrun.stage.Stager;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.ConnectionLost;
import xmrun.transport.LocalTransport;
import xmrun.transport.Transport;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * launcher file -> experiment -> plan -> rendered files -> store -> submission. Everything that can
 * fail on the user's input fails before the store hears of the experiment; a failure after that but
 * before submission removes what was written, so nothing is left half-launched.
 */
public final class LaunchService {
    private final XmrunHome home;
    private final Clusters clusters;
    private final Function<String, Cluster> open;
    private final Secrets secrets;

    public LaunchService(XmrunHome home) {
        this(home, new Clusters(home));
    }

    public LaunchService(XmrunHome home, Clusters clusters) {
        this(home, clusters, Secrets.ofProcess());
    }

    /** @param secrets the environment secrets are read from: xmrun's own */
    public LaunchService(XmrunHome home, Clusters clusters, Secrets secrets) {
        this(home, clusters, clusters::open, secrets);
    }

    /** @param open the cluster for a name (tests pass one that counts scheduler calls) */
    public LaunchService(XmrunHome home, Function<String, Cluster> open) {
        this(home, new Clusters(home), open, Secrets.ofProcess());
    }

    private LaunchService(XmrunHome home, Clusters clusters, Function<String, Cluster> open, Secrets secrets) {
        this.home = home;
        this.clusters = clusters;
        this.open = open;
        this.secrets = secrets;
    }

    /**
     * The launcher evaluated and planned, with the renderer it will use. A launch on several clusters has one of these
     * per candidate (its plan and renderer as they are on that cluster) in {@code candidates}, the first one's plan and
     * renderer in its own, and the names as written ("a,b") in {@code cluster}.
     *
     * @param sweepFiles every sweep file the launcher read, with its text (absolute path -> text)
     * @param packs      each template pack's jars, by coordinate
     * @param frozen     what an earlier experiment ran, when this is it again (a relaunch, a resume), else null
     */
    public record Prepared(Plan plan, String cluster, ScriptRenderer renderer, String source, Map<Path, String> sweepFiles,
                           Map<String, List<Path>> packs, Frozen frozen, List<Prepared> candidates) {
        public Experiment experiment() {
            return plan.experiment();
        }

        /** Several clusters were named: each job goes where it would start first. */
        public boolean spread() {
            return !candidates.isEmpty();
        }

        /** The one prepared for a candidate cluster. */
        public Prepared on(String candidate) {
            return candidates.stream().filter(c -> c.cluster().equals(candidate)).findFirst().orElseThrow();
        }

        /** Each cluster's own: the candidates of a launch on several, else this one. */
        public List<Prepared> each() {
            return spread() ? candidates : List.of(this);
        }

        /** One line for each {@code env} value that looks like a credential, pointing at {@code secret}. */
        public List<String> warnings() {
            return Credentials.warnings(plan.experiment());
        }
    }

    public Prepared prepare(Path launcher, String displayName, List<String> scriptArgs, String clusterOverride) {
        return prepare(launcher, LauncherLoader.read(launcher, displayName), displayName, scriptArgs, clusterOverride, null);
    }

    /** An experiment's launcher evaluated again from the store, as it was launched. */
    public Prepared prepare(ExperimentRecord exp, String source, Frozen frozen, String clusterOverride) {
        Path launcher = xmrun.server.RequestEnvironment.current().path(exp.launcher());
        return prepare(launcher, source, launcher.getFileName().toString(), exp.scriptArgs(),
                clusterOverride != null ? clusterOverride : exp.cluster(), frozen);
    }

    private Prepared prepare(Path launcher, String source, String displayName, List<String> scriptArgs, String clusterOverride,
                             Frozen frozen) {
        if (source.contains("@Grab")) {
            Grapes.configure(clusters.config().repositories(), home.dir().resolve("grapes"));
        }
        Sources sources = frozen == null ? new Sources() : new Sources(frozen.sweepFiles(), frozen.codeDir());
        Experiment experiment = Sources.with(sources, () -> LauncherLoader.load(launcher, source, displayName, scriptArgs));
        Map<Path, String> sweepFiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources.getRead()));
        String named = clusterOverride != null ? clusterOverride : experiment.cluster();
        List<String> names = Placement.names(named);
        names.forEach(n -> clusters.check(n, clusterOverride != null ? null : experiment.clusterAt()));
        if (names.size() == 1) {
            return prepare(experiment, names.get(0), source, sweepFiles, frozen);
        }
        List<Prepared> each = names.stream().map(n -> prepare(experiment, n, source, sweepFiles, frozen)).toList();
        Prepared first = each.get(0);
        return new Prepared(first.plan(), String.join(",", names), first.renderer(), source, sweepFiles, first.packs(), frozen, each);
    }

    private Prepared prepare(Experiment evaluated, String cluster, String source, Map<Path, String> sweepFiles, Frozen frozen) {
        Experiment experiment = evaluated;
        List<String> packs = new ArrayList<>(experiment.templatePacks());
        packs.addAll(clusters.templatePacks(cluster));
        Map<String, List<Path>> packJars = resolvePacks(packs);
        TemplateChain chain = TemplateChain.forLauncher(experiment.launcher().getParent(), home.configDir(), packPlaces(packJars));
        if (frozen != null) {
            chain = chain.withStored("experiment " + frozen.experimentId(), frozen.templates());
        }
        ScriptRenderer renderer = new ScriptRenderer(chain);
        ClusterSpec spec = clusters.configured(cluster);
        experiment = ContainerRuntimes.resolve(experiment, spec == null ? ClusterSpec.Containers.NONE : spec.containers(),
                spec == null ? null : spec.declaredAt(), renderer.chain());
        return new Prepared(new Plan(experiment), cluster, renderer, source, sweepFiles, packJars, frozen, List.of());
    }

    /**
     * Experiment {@code exp} again, as the store keeps it: its launcher's text and arguments, its sweep files' texts,
     * its code snapshot and its templates; nothing is read from where they were. Launching it records where it came from.
     */
    public Prepared prepareRelaunch(ExperimentRecord exp, String clusterOverride) {
        try (ExperimentStore store = ExperimentStore.open(home.storeFile())) {
            String source = store.launcherSource(exp.id());
            Frozen frozen = Frozen.of(store, exp.id()).orElse(null);
            if (source == null || frozen == null) {
                throw new UserError("experiment " + exp.id() + " was launched by an xmrun that kept no snapshot of its code"
                        + " (before schema 5); launch its launcher again instead");
            }
            if (!java.nio.file.Files.exists(frozen.codeDir().resolve(xmrun.stage.CodeTree.COMPLETE))) {
                throw new UserError("the code snapshot of experiment " + exp.id() + " is gone (" + frozen.codeDir()
                        + "); it cannot be relaunched as it ran");
            }
            return prepare(exp, source, frozen, clusterOverride);
        }
    }

    /** Packs are resolved (or read from the cache) only when a launcher or its cluster names some. */
    private Map<String, List<Path>> resolvePacks(List<String> coordinates) {
        Map<String, List<Path>> jars = new LinkedHashMap<>();
        if (!coordinates.isEmpty()) {
            PackResolver resolver = new PackResolver(clusters.config().repositories(), home.dir().resolve("packs"));
            coordinates.forEach(c -> jars.put(c, resolver.resolve(c)));
        }
        return jars;
    }

    private static List<TemplateChain.Place> packPlaces(Map<String, List<Path>> packs) {
        List<TemplateChain.Place> places = new ArrayList<>();
        packs.forEach((c, jars) -> places.add(new TemplateChain.Place("pack " + c, null, jars)));
        return places;
    }

    /** @param codeDir where work units start; relative mounts are found at {@code hostBase} */
    static JobScripts.Target target(Cluster cluster, long experimentId, String codeDir, String hostBase, Map<String, ImagePin> images) {
        ImagePins pins = new ImagePins(cluster);
        return new JobScripts.Target(cluster.scheduler(), job -> Cluster.jobName(experimentId, job), cluster.defaults(), cluster.setup(),
                codeDir, images, path -> pins.onCluster(path, hostBase), cluster.proxy());
    }

    /**
     * Scripts rendered without launching name each image as the launcher does: nothing is asked of the cluster. Of a
     * launch on several clusters, the first named.
     */
    private List<ScriptFile> renderFiles(Prepared prepared, long experimentId, Path workDir, Consumer<WorkUnit> units) {
        if (prepared.spread()) {
            return renderFiles(prepared.candidates().get(0), experimentId, workDir, units);
        }
        Cluster cluster = open.apply(prepared.cluster());
        Staging staging = staging(cluster, prepared);
        ImagePins pins = new ImagePins(cluster);
        Map<String, ImagePin> images = new LinkedHashMap<>();
        prepared.experiment().jobs().stream().filter(j -> j.container() != null)
                .forEach(j -> images.put(j.name(), pins.unresolved(j, staging.hostBase())));
        return new JobScripts(prepared.renderer()).render(prepared.plan(), experimentId, workDir,
                target(cluster, experimentId, staging.renderedCodeDir(), staging.hostBase(), images), units);
    }

    /** Writes every file a launch would write into {@code outDir}, as experiment 0, and submits nothing. */
    public List<Path> render(Prepared prepared, Path outDir) {
        Path dir = outDir.toAbsolutePath();
        List<ScriptFile> files = renderFiles(prepared, 0, dir, u -> { });
        new LocalTransport().write(contents(dir.toString(), files)); // render always writes here, wherever the cluster is
        return files.stream().map(f -> dir.resolve(f.relativePath())).toList();
    }

    /** Renders every script in memory and throws them away: a dry run's check of the templates (on every candidate cluster). */
    public int renderOnly(Prepared prepared) {
        if (prepared.spread()) {
            return prepared.candidates().stream().mapToInt(this::renderOnly).max().orElse(0);
        }
        return renderFiles(prepared, 0, home.experimentsDir().resolve("0"), u -> { }).size();
    }

    /**
     * A launched experiment, what staging its code moved (empty when it runs where the code is), and the image each
     * container job runs.
     */
    public record Launched(ExperimentRecord experiment, Optional<Stager.Result> staged, List<ImagePin> images, Spread spread) {
        public Launched(ExperimentRecord experiment, Optional<Stager.Result> staged, List<ImagePin> images) {
            this(experiment, staged, List.copyOf(images), null);
        }
    }

    /**
     * How a launch on several clusters went: what each candidate answered for each chain of jobs and where each went,
     * and what staging moved to each cluster that got work (none staged where the code already is).
     */
    public record Spread(List<ClusterChooser.Choice> choices, Map<String, Stager.Result> staged, Map<String, String> workDirs) {
    }

    /** Fails (exit 1), with each candidate's reason, when a chain of jobs can go to none of the clusters named. */
    public static void checkPlaced(List<ClusterChooser.Choice> choices) {
        SpreadLaunch.checkPlaced(choices);
    }

    /**
     * Of a launch on several clusters, what each candidate says of each chain of jobs, and the pick; submits nothing
     * (a dry run shows it).
     */
    public List<ClusterChooser.Choice> choose(Prepared prepared) {
        return spreadLaunch().choose(prepared);
    }

    private SpreadLaunch spreadLaunch() {
        return new SpreadLaunch(home, open, secrets);
    }

    public Launched launch(Prepared prepared, List<String> scriptArgs) {
        return launch(prepared, scriptArgs, Progress.NONE);
    }

    public Launched launch(Prepared prepared, List<String> scriptArgs, Progress uploads) {
        Plan plan = prepared.plan();
        checkSecrets(plan.experiment(), secrets);
        if (prepared.spread()) {
            return spreadLaunch().launch(prepared, scriptArgs, uploads);
        }
        Cluster cluster = open.apply(prepared.cluster());
        Staging staging = staging(cluster, prepared);
        Optional<Stager.Result> staged = staging.stage(uploads); // before the store hears of it: a failure leaves nothing
        Map<String, ImagePin> images = new ImagePins(cluster).resolve(plan.experiment(), staging.hostBase(),
                cluster.imageCache(home.dir().resolve("images")));
        ProvenanceRecorder provenance = new ProvenanceRecorder(prepared, cluster, staging);
        try (ExperimentStore store = ExperimentStore.open(home.storeFile())) {
            ExperimentRecord exp = store.createExperiment(plan.experiment().name(), plan.experiment().launcher().toString(),
                    prepared.source(), prepared.cluster(), cluster.experimentsDir(home.experimentsDir(), store.storeId()), scriptArgs);
            UnitRows rows = new UnitRows(exp, plan);
            try {
                // first: with how many units each has, a resume knows what is missing
                store.addJobs(exp.id(), jobRecords(plan, job -> JobScripts.scriptIn(exp.workDir(), job)));
                Path workDir = Path.of(exp.workDir());
                List<ScriptFile> files = new JobScripts(prepared.renderer()).render(plan, exp.id(), workDir,
                        target(cluster, exp.id(), staging.codeDir(), staging.hostBase(), images), u -> { });
                cluster.transport().write(contents(exp.workDir(), files));
                store.addImages(exp.id(), images.values());
                store.provenance().record(exp.id(), provenance.record(files));
            } catch (RuntimeException e) {
                forget(store, exp, cluster.transport());
                throw e;
            }
            submit(store, cluster, plan, exp, Map.of(), ids -> store.addWorkUnits(rows.submitted(ids, Instant.now())), rows);
            return new Launched(exp, staged, List.copyOf(images.values()));
        }
    }

    /** A relaunch runs the snapshot it was given; a launch scans the code directory. */
    private Staging staging(Cluster cluster, Prepared prepared) {
        return new Staging(cluster, prepared.experiment(), home.dir(), prepared.frozen() == null ? null : prepared.frozen().tree());
    }

    /**
     * Submits what the store does not have yet; each accepted batch is recorded at once. A refused
     * submission was taken back by the submitter, so the experiment is forgotten; a dropped
     * connection leaves the experiment as far as it got, for {@code xmrun resume}.
     */
    private void submit(ExperimentStore store, Cluster cluster, Plan plan, ExperimentRecord exp, Map<Integer, String> known,
                        Consumer<Map<Integer, String>> submitted, UnitRows rows) {
        try {
            new Submitter(cluster, secrets).submit(plan, exp, known, submitted);
            rows.storeMissing(store, WorkUnitState.UNSUBMITTED, null); // none, unless a job went out without its units told
        } catch (ConnectionLost e) {
            rows.storeMissing(store, WorkUnitState.UNSUBMITTED, null);
            long done = store.workUnits(exp.id()).stream().filter(u -> u.schedulerId() != null).count();
            throw new Failure(e.getMessage() + ". Experiment " + exp.id() + " has " + done + " of " + plan.workUnitCount()
                    + " work units submitted; submit the rest with: xmrun resume " + exp.id());
        } catch (RuntimeException e) {
            if (known.isEmpty()) {
                forget(store, exp, cluster.transport());
            }
            throw e;
        }
    }

    static void forget(ExperimentStore store, ExperimentRecord exp, Transport transport) {
        store.deleteExperiment(exp.id());
        try {
            transport.run(List.of("rm", "-rf", "--", exp.workDir()));
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
            List<ExperimentStore.JobRecord> jobs = store.jobs(exp.id());
            Long planned = planned(jobs, units.size());
            long missing = units.stream().filter(u -> u.state() == WorkUnitState.UNSUBMITTED).count()
                    + (planned == null ? 1 : planned - units.size()); // none recorded: known once the launcher is evaluated
            if (missing == 0) {
                return 0;
            }
            Prepared prepared = prepare(exp, source, Frozen.of(store, exp.id()).orElse(null), null);
            Plan plan = prepared.plan();
            checkSamePlan(plan, planned, units, exp);
            if (units.size() < plan.workUnitCount()) { // a launch cut short: the units it did not get to have no rows yet
                if (jobs.isEmpty()) {
                    store.addJobs(exp.id(), jobRecords(plan, job -> JobScripts.scriptIn(exp.workDir(), job)));
                }
                boolean cancelled = units.stream().anyMatch(u -> u.state() == WorkUnitState.CANCELLED);
                new UnitRows(exp, plan).storeMissing(store, cancelled ? WorkUnitState.CANCELLED : WorkUnitState.UNSUBMITTED,
                        cancelled ? "cancelled before it was submitted" : null); // a cancel covers what was not recorded yet
                units = store.workUnits(exp.id());
                missing = units.stream().filter(u -> u.state() == WorkUnitState.UNSUBMITTED).count();
                if (missing == 0) {
                    return 0;
                }
            }
            checkSecrets(plan.experiment(), secrets);
            if (prepared.spread()) {
                return spreadLaunch().resume(store, prepared, exp, units);
            }
            Cluster cluster = open.apply(exp.cluster());
            int retried = resubmitRetries(store, cluster, plan, exp, units, secrets);
            if (retried == missing) {
                return retried;
            }
            Map<Integer, String> known = new HashMap<>();
            units.stream().filter(u -> u.schedulerId() != null).forEach(u -> known.put(u.id(), u.schedulerId()));
            // a unit run again went out first with its job's array: that first submission is what a chunk needs
            store.earlierAttempts(exp.id()).forEach((id, attempts) -> known.putIfAbsent(id, attempts.get(0).schedulerId()));
            Map<Integer, String> adopted = new HashMap<>(new Submitter(cluster, secrets).findSubmitted(plan, exp));
            adopted.keySet().removeAll(known.keySet());
            if (!adopted.isEmpty()) {
                store.markSubmitted(exp.id(), adopted, Instant.now());
                known.putAll(adopted);
            }
            submit(store, cluster, plan, exp, known, ids -> store.markSubmitted(exp.id(), ids, Instant.now()), new UnitRows(exp, plan));
            return (int) (missing - adopted.size());
        }
    }

    /** Units a retry claimed but could not submit (the connection dropped): submitted again as retries. */
    static int resubmitRetries(ExperimentStore store, Cluster cluster, Plan plan, ExperimentRecord exp, List<WorkUnitRecord> units,
                                       Secrets secrets) {
        Map<String, List<WorkUnitRecord>> byJob = new java.util.LinkedHashMap<>();
        units.stream().filter(u -> u.state() == WorkUnitState.UNSUBMITTED && u.attempt() > 1)
                .forEach(u -> byJob.computeIfAbsent(u.job(), k -> new ArrayList<>()).add(u));
        int n = 0;
        for (Map.Entry<String, List<WorkUnitRecord>> e : byJob.entrySet()) {
            new xmrun.executor.Retrier(cluster, secrets, plan.experiment().job(e.getKey()).secretNames()).resubmit(exp, e.getKey(), e.getValue(),
                    plan.experiment().job(e.getKey()).scheduler().maxParallel(), ids -> store.markSubmitted(exp.id(), ids, Instant.now()));
            n += e.getValue().size();
        }
        return n;
    }

    /**
     * Every secret must be in xmrun's environment before anything is staged or recorded; the first missing one is
     * reported at the line that names it.
     */
    static void checkSecrets(Experiment experiment, Secrets secrets) {
        for (Job job : experiment.jobs()) {
            for (xmrun.model.Secret s : job.secrets()) {
                if (!secrets.missing(List.of(s.name())).isEmpty()) {
                    throw new xmrun.model.ScriptError(s.declaredAt(), "secret '" + s.name() + "' is not set");
                }
            }
        }
    }

    /**
     * How many units an experiment has: each job records its count, since a launch stores a unit only once it is
     * submitted. Jobs recorded without it come from launches that stored every unit first; none recorded at all (null),
     * from a launch cut short before anything was submitted.
     */
    private static Long planned(List<ExperimentStore.JobRecord> jobs, int stored) {
        if (jobs.isEmpty()) {
            return null;
        }
        if (jobs.stream().anyMatch(j -> !(j.settings().get("units") instanceof Number))) {
            return (long) stored;
        }
        return jobs.stream().mapToLong(j -> ((Number) j.settings().get("units")).longValue()).sum();
    }

    /** A launcher that evaluates differently now (time, randomness) cannot be resumed safely. */
    private static void checkSamePlan(Plan plan, Long planned, List<WorkUnitRecord> units, ExperimentRecord exp) {
        boolean same = (planned == null || planned == plan.workUnitCount()) && units.size() <= plan.workUnitCount();
        for (int i = 0; same && i < units.size(); i++) {
            WorkUnitRecord u = units.get(i);
            Job job = plan.experiment().jobs().stream().filter(j -> j.name().equals(u.job())).findFirst().orElse(null);
            WorkUnit now = job == null || u.index() >= job.workUnitCount() ? null : plan.workUnit(job, u.index());
            same = now != null && now.id() == u.id() && now.argv().equals(u.argv());
        }
        if (!same) {
            throw new UserError("experiment " + exp.id() + ": the launcher no longer evaluates to the same work units; cancel it and launch again");
        }
    }

    /**
     * What later refreshes need of each job: when to retry it, what it waits for, whether it was submitted held; and
     * what its units share: their command line up to their own arguments, and the script at {@code scriptOf}.
     */
    static List<ExperimentStore.JobRecord> jobRecords(Plan plan, Function<Job, String> scriptOf) {
        List<ExperimentStore.JobRecord> out = new ArrayList<>();
        for (Job job : plan.experiment().jobs()) { // launcher order: results' columns follow it
            Map<String, Object> settings = new java.util.LinkedHashMap<>();
            if (job.retry() != null) {
                settings.put("retry", Map.of("times", job.retry().times(), "on", job.retry().on().stream().sorted().toList()));
            }
            settings.put("after", job.after().stream().map(d -> Map.of("job", d.job(), "when", d.when().name())).toList());
            if (job.scheduler().maxParallel() != null) {
                settings.put("maxParallel", job.scheduler().maxParallel());
            }
            settings.put("axes", job.sweep().names());
            settings.put("units", job.workUnitCount()); // a launch stores a unit once it is submitted: a resume knows what is missing
            if (!job.secrets().isEmpty()) {
                settings.put("secrets", job.secretNames()); // a retry, in a later xmrun, reads their values from its own environment
            }
            boolean held = Submitter.heldForRetries(plan, job);
            List<String> argv = new ArrayList<>(job.command());
            argv.addAll(job.args());
            out.add(new ExperimentStore.JobRecord(job.name(), settings, held ? "HELD" : null, argv, scriptOf.apply(job)));
        }
        return out;
    }

    static WorkUnitRecord record(ExperimentRecord exp, Path workDir, Plan plan, WorkUnit u) {
        return new WorkUnitRecord(exp.id(), u.id(), u.job(), u.index(), u.argv(), u.env(),
                JobScripts.scriptIn(workDir.toString(), plan.experiment().job(u.job())), null,
                WorkUnitState.UNSUBMITTED, null, null, null, null, null, u.point(), 1);
    }

    static List<Transport.FileContent> contents(String dir, List<ScriptFile> files) {
        return files.stream().map(f -> new Transport.FileContent(dir + "/" + f.relativePath(), f.content(), f.executable())).toList();
    }
}
