package xmrun.app;

import xmrun.Failure;
import xmrun.executor.Canceller;
import xmrun.executor.Cluster;
import xmrun.executor.ClusterChooser;
import xmrun.executor.ImagePins;
import xmrun.executor.Secrets;
import xmrun.executor.Staging;
import xmrun.executor.Submitter;
import xmrun.model.ImagePin;
import xmrun.model.Job;
import xmrun.plan.Plan;
import xmrun.render.JobScripts;
import xmrun.render.ScriptFile;
import xmrun.stage.Progress;
import xmrun.stage.Stager;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.ConnectionLost;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A launch naming several clusters: each chain of jobs (joined by {@code after} or a group) goes to the candidate
 * that would start its first job first ({@link ClusterChooser}); then, cluster by cluster, the code is staged to each
 * cluster that got work (and only to those), its jobs' scripts written into its own work dir, and its jobs submitted.
 * All or nothing, as on one cluster: when a cluster refuses, what the others accepted is cancelled and the experiment
 * forgotten; when a connection drops, what was accepted stays for {@code xmrun resume}. A job never moves once it is
 * submitted.
 */
final class SpreadLaunch {
    private final XmrunHome home;
    private final Function<String, Cluster> open;
    private final Secrets secrets;

    SpreadLaunch(XmrunHome home, Function<String, Cluster> open, Secrets secrets) {
        this.home = home;
        this.open = open;
        this.secrets = secrets;
    }

    /** Asks every candidate about every chain at once, and picks. */
    List<ClusterChooser.Choice> choose(LaunchService.Prepared prepared) {
        List<ClusterChooser.Candidate> candidates = new ArrayList<>();
        for (LaunchService.Prepared c : prepared.candidates()) {
            candidates.add(new ClusterChooser.Candidate(open.apply(c.cluster()), c.plan())); // connections open lazily, in parallel
        }
        return new ClusterChooser(candidates).choose(prepared.plan());
    }

    /** Fails, naming every candidate's reason, when some chain can go nowhere; nothing has been staged or recorded yet. */
    static void checkPlaced(List<ClusterChooser.Choice> choices) {
        for (ClusterChooser.Choice c : choices) {
            if (c.picked() == null) {
                StringBuilder sb = new StringBuilder("no cluster can take job " + describe(c.chain()) + "; nothing was submitted:");
                c.answers().forEach(a -> sb.append("\n  ").append(a.cluster()).append(": ").append(a.estimate().refusal()));
                throw new Failure(sb.toString());
            }
        }
    }

    /** One cluster's share of the launch. */
    private static final class Share {
        final LaunchService.Prepared prepared;
        final Cluster cluster;
        final List<String> jobs = new ArrayList<>();
        Plan plan;
        Staging staging;
        Map<String, ImagePin> images;
        ExperimentRecord experiment; // as this cluster sees it

        Share(LaunchService.Prepared prepared, Cluster cluster) {
            this.prepared = prepared;
            this.cluster = cluster;
        }
    }

    LaunchService.Launched launch(LaunchService.Prepared prepared, List<String> scriptArgs, Progress uploads) {
        List<ClusterChooser.Choice> choices = choose(prepared);
        checkPlaced(choices);
        Map<String, Share> shares = new LinkedHashMap<>();
        for (LaunchService.Prepared c : prepared.candidates()) { // in the order named
            for (ClusterChooser.Choice choice : choices) {
                if (c.cluster().equals(choice.picked())) {
                    shares.computeIfAbsent(c.cluster(), n -> new Share(c, open.apply(n))).jobs.addAll(choice.jobNames());
                }
            }
        }
        Map<String, Stager.Result> staged = new LinkedHashMap<>();
        for (Share s : shares.values()) { // before the store hears of it: a failure leaves nothing
            s.plan = s.prepared.plan().only(s.jobs);
            s.staging = new Staging(s.cluster, s.prepared.experiment(), home.dir(),
                    prepared.frozen() == null ? null : prepared.frozen().tree()); // a relaunch runs its snapshot
            s.staging.stage(uploads).ifPresent(r -> staged.put(s.cluster.name(), r));
            s.images = new ImagePins(s.cluster).resolve(s.plan.jobsInSubmitOrder(), s.staging.hostBase(),
                    s.cluster.imageCache(home.dir().resolve("images")));
        }
        Share first = shares.values().iterator().next();
        // provenance names the first cluster that got work (its scheduler, its snapshot); every cluster's files are kept
        ProvenanceRecorder provenance = new ProvenanceRecorder(prepared, first.cluster, first.staging);
        Plan whole = prepared.plan();
        try (ExperimentStore store = ExperimentStore.open(home.storeFile())) {
            String storeId = store.storeId();
            ExperimentRecord exp = store.createExperiment(whole.experiment().name(), whole.experiment().launcher().toString(),
                    prepared.source(), prepared.cluster(), first.cluster.experimentsDir(home.experimentsDir(), storeId), scriptArgs);
            Map<String, String> workDirs = new LinkedHashMap<>();
            try {
                List<WorkUnitRecord> records = new ArrayList<>(whole.workUnitCount());
                List<ScriptFile> written = new ArrayList<>();
                for (Share s : shares.values()) {
                    Path workDir = s.cluster.experimentsDir(home.experimentsDir(), storeId).resolve(Long.toString(exp.id()));
                    s.experiment = Placement.on(exp, s.cluster.name(), workDir.toString());
                    workDirs.put(s.cluster.name(), workDir.toString());
                    List<ScriptFile> files = new JobScripts(s.prepared.renderer()).render(s.plan, exp.id(), workDir,
                            LaunchService.target(s.cluster, exp.id(), s.staging.codeDir(), s.staging.hostBase(), s.images),
                            u -> records.add(LaunchService.record(exp, workDir, s.plan, u)));
                    s.cluster.transport().write(LaunchService.contents(workDir.toString(), files));
                    files.stream().filter(f -> written.stream().noneMatch(w -> w.relativePath().equals(f.relativePath())))
                            .forEach(written::add); // each cluster's work dir has its own sched/, the same file
                }
                Map<String, String> scripts = new LinkedHashMap<>();
                shares.values().forEach(s -> s.jobs.forEach(j -> scripts.put(j,
                        JobScripts.scriptIn(workDirs.get(s.cluster.name()), whole.experiment().job(j)))));
                store.addJobs(exp.id(), LaunchService.jobRecords(whole, job -> scripts.get(job.name())));
                records.sort(Comparator.comparingInt(WorkUnitRecord::id));
                store.addWorkUnits(records);
                Map<String, String> clusterByJob = new LinkedHashMap<>();
                shares.values().forEach(s -> s.jobs.forEach(j -> clusterByJob.put(j, s.cluster.name())));
                store.place(exp.id(), clusterByJob, workDirs);
                store.addEstimates(exp.id(), estimates(choices, prepared));
                List<ImagePin> images = new ArrayList<>();
                shares.values().forEach(s -> images.addAll(s.images.values()));
                store.addImages(exp.id(), images);
                store.provenance().record(exp.id(), provenance.record(written));
            } catch (RuntimeException e) {
                forget(store, exp, shares);
                throw e;
            }
            submit(store, exp, shares, whole);
            List<ImagePin> images = new ArrayList<>();
            shares.values().forEach(s -> images.addAll(s.images.values()));
            return new LaunchService.Launched(exp, Optional.empty(), List.copyOf(images),
                    new LaunchService.Spread(choices, staged, workDirs));
        }
    }

    /** Rows of the estimates table: per chain, each candidate's answer in the order named. */
    private static List<ExperimentStore.EstimateRecord> estimates(List<ClusterChooser.Choice> choices, LaunchService.Prepared prepared) {
        List<String> order = prepared.candidates().stream().map(LaunchService.Prepared::cluster).toList();
        List<ExperimentStore.EstimateRecord> rows = new ArrayList<>();
        for (ClusterChooser.Choice c : choices) {
            for (ClusterChooser.Answer a : c.answers()) {
                rows.add(new ExperimentStore.EstimateRecord(c.first().name(), a.cluster(), order.indexOf(a.cluster()), a.estimate().start(),
                        a.delay() == null ? null : a.delay().getSeconds(), a.estimate().refusal(), a.cluster().equals(c.picked())));
            }
        }
        return rows;
    }

    /**
     * Submits cluster by cluster, each batch recorded as it is accepted. A refusal takes back everything this launch
     * submitted anywhere (the refusing cluster's submitter takes back its own) and forgets the experiment.
     */
    private void submit(ExperimentStore store, ExperimentRecord exp, Map<String, Share> shares, Plan whole) {
        List<Share> done = new ArrayList<>();
        for (Share s : shares.values()) {
            try {
                new Submitter(s.cluster, secrets).submit(s.plan, s.experiment, Map.of(), ids -> store.markSubmitted(exp.id(), ids, Instant.now()));
                done.add(s);
            } catch (ConnectionLost e) {
                long n = store.workUnits(exp.id()).stream().filter(u -> u.schedulerId() != null).count();
                throw new Failure(e.getMessage() + ". Experiment " + exp.id() + " has " + n + " of " + whole.workUnitCount()
                        + " work units submitted; submit the rest with: xmrun resume " + exp.id());
            } catch (RuntimeException e) {
                List<WorkUnitRecord> units = store.workUnits(exp.id());
                for (Share d : done) {
                    try {
                        new Canceller(d.cluster).cancel(d.experiment, units.stream().filter(u -> d.jobs.contains(u.job())).toList());
                    } catch (Failure ignored) {
                        // the launch fails anyway, with the first cluster's refusal; status would show these as they are
                    }
                }
                forget(store, exp, shares);
                throw e;
            }
        }
    }

    private static void forget(ExperimentStore store, ExperimentRecord exp, Map<String, Share> shares) {
        for (Share s : shares.values()) {
            if (s.experiment != null) {
                LaunchService.forget(store, s.experiment, s.cluster.transport());
            }
        }
        store.deleteExperiment(exp.id());
    }

    /**
     * Submits what an interrupted launch on several clusters did not, each job where it was placed: on each cluster, the
     * retries it claimed, the arrays the scheduler got without the store hearing of it, then the rest.
     */
    int resume(ExperimentStore store, LaunchService.Prepared prepared, ExperimentRecord exp, List<WorkUnitRecord> units) {
        int submitted = 0;
        for (Placement p : Placement.of(store, exp)) {
            List<WorkUnitRecord> mine = p.unitsOf(units);
            long missing = mine.stream().filter(u -> u.state() == WorkUnitState.UNSUBMITTED).count();
            if (missing == 0) {
                continue;
            }
            Cluster cluster = open.apply(p.cluster());
            Plan plan = prepared.on(p.cluster()).plan().only(p.jobs());
            int retried = LaunchService.resubmitRetries(store, cluster, plan, p.experiment(), mine, secrets);
            if (retried == missing) {
                submitted += retried;
                continue;
            }
            Map<Integer, String> known = new HashMap<>();
            mine.stream().filter(u -> u.schedulerId() != null).forEach(u -> known.put(u.id(), u.schedulerId()));
            store.earlierAttempts(exp.id()).forEach((id, attempts) -> {
                if (mine.stream().anyMatch(u -> u.id() == id)) {
                    known.putIfAbsent(id, attempts.get(0).schedulerId());
                }
            });
            Map<Integer, String> adopted = new HashMap<>(new Submitter(cluster, secrets).findSubmitted(plan, p.experiment()));
            adopted.keySet().removeAll(known.keySet());
            if (!adopted.isEmpty()) {
                store.markSubmitted(exp.id(), adopted, Instant.now());
                known.putAll(adopted);
            }
            new Submitter(cluster, secrets).submit(plan, p.experiment(), known, ids -> store.markSubmitted(exp.id(), ids, Instant.now()));
            submitted += (int) (missing - adopted.size());
        }
        return submitted;
    }

    /** The jobs of a chain, for messages: "train (with eval)". */
    static String describe(List<Job> chain) {
        return chain.get(0).name() + (chain.size() > 1 ? " (with " + String.join(", ", chain.subList(1, chain.size()).stream()
                .map(Job::name).toList()) + ")" : "");
    }
}
