package xmrun.app;

import xmrun.UserError;
import xmrun.executor.Canceller;
import xmrun.executor.Cluster;
import xmrun.executor.ResultCollector;
import xmrun.executor.Retrier;
import xmrun.executor.Secrets;
import xmrun.model.Retry;
import xmrun.executor.StatusReader;
import xmrun.state.UnitStatus;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Asks an experiment's executor where its work units are, and keeps the store up to date with the answer. */
public final class StatusService {
    private final ExperimentStore store;
    private final Function<String, Cluster> clusters;
    private final Secrets secrets;

    public StatusService(ExperimentStore store, Function<String, Cluster> clusters) {
        this(store, clusters, Secrets.ofProcess());
    }

    /** @param secrets the environment a retry reads its job's secrets from: this xmrun's */
    public StatusService(ExperimentStore store, Function<String, Cluster> clusters, Secrets secrets) {
        this.store = store;
        this.clusters = clusters;
        this.secrets = secrets;
    }

    public ExperimentStore store() {
        return store;
    }

    /** The cluster an experiment runs on (the first that got work, of one spread over several), connected when first asked. */
    public Cluster cluster(ExperimentRecord exp) {
        return cluster(placements(exp).get(0));
    }

    /** The cluster of one placement, connected when first asked (once per cluster for the whole command). */
    public Cluster cluster(Placement p) {
        return clusters.apply(p.cluster());
    }

    /** Where an experiment's jobs run: one placement per cluster that got work. */
    public List<Placement> placements(ExperimentRecord exp) {
        return Placement.of(store, exp);
    }

    /** The placement of one job's units. */
    public Placement placement(ExperimentRecord exp, String job) {
        return Placement.of(placements(exp), job);
    }

    public ExperimentRecord find(String idOrNull) {
        if (idOrNull == null) {
            return store.experiments().stream().findFirst()
                    .orElseThrow(() -> new UserError("no experiments yet; launch one with: xmrun LAUNCHER.xm.groovy"));
        }
        long id;
        try {
            id = Long.parseLong(idOrNull);
        } catch (NumberFormatException e) {
            throw new UserError("experiment id must be a number, got '" + idOrNull + "'");
        }
        return store.experiment(id).orElseThrow(() -> new UserError("no experiment " + id + "; see: xmrun list"));
    }

    public WorkUnitRecord unit(ExperimentRecord exp, int id) {
        return store.workUnits(exp.id()).stream().filter(u -> u.id() == id).findFirst()
                .orElseThrow(() -> new UserError("experiment " + exp.id() + " has no work unit " + id));
    }

    /**
     * Current state of every unit; units already final are not asked about again. What units that ended
     * reported (XM_RESULT lines, result.json) is read in the same refresh, once per attempt.
     */
    public List<WorkUnitRecord> refresh(ExperimentRecord exp) {
        List<WorkUnitRecord> units = refreshStates(exp);
        collectResults(exp);
        List<ExperimentStore.JobRecord> jobs = store.jobs(exp.id());
        Map<String, Retry> retries = retries(jobs);
        if (!retries.isEmpty()) {
            units = new RetryRound(exp, jobs, retries).run(units);
        }
        return units;
    }

    /**
     * The same, for a caller that reads the store itself afterwards: an experiment with nothing open, nothing
     * to read back and nothing to retry costs three small queries, not a load of every unit.
     */
    public void update(ExperimentRecord exp) {
        if (store.openUnits(exp.id()) == 0) {
            collectResults(exp);
            if (retries(store.jobs(exp.id())).isEmpty()) {
                return;
            }
        }
        refresh(exp);
    }

    static Map<String, Retry> retries(List<ExperimentStore.JobRecord> jobs) {
        Map<String, Retry> out = new java.util.HashMap<>();
        for (ExperimentStore.JobRecord j : jobs) {
            if (j.settings().get("retry") instanceof Map<?, ?> r) {
                @SuppressWarnings("unchecked")
                List<String> on = (List<String>) r.get("on");
                out.put(j.name(), new Retry(((Number) r.get("times")).intValue(), new java.util.HashSet<>(on)));
            }
        }
        return out;
    }

    /**
     * What a refresh does for jobs with {@code retry}: failed units whose failure the job retries run again (one
     * array per job), and jobs held until those have ended for good are released, or cancelled when what they
     * wait for did not end as they need.
     */
    private final class RetryRound {
        private final ExperimentRecord exp;
        private final List<ExperimentStore.JobRecord> jobs;
        private final Map<String, Retry> retries;

        RetryRound(ExperimentRecord exp, List<ExperimentStore.JobRecord> jobs, Map<String, Retry> retries) {
            this.exp = exp;
            this.jobs = jobs;
            this.retries = retries;
        }

        List<WorkUnitRecord> run(List<WorkUnitRecord> units) {
            boolean changed = resubmitFailed(units);
            List<WorkUnitRecord> now = changed ? store.workUnits(exp.id()) : units;
            if (resolveHolds(now)) {
                now = store.workUnits(exp.id());
            }
            return now;
        }

        private boolean retried(WorkUnitRecord u) {
            Retry r = retries.get(u.job());
            return u.state() == WorkUnitState.FAILED && r != null && r.allows(u.reason(), u.attempt());
        }

        private boolean resubmitFailed(List<WorkUnitRecord> units) {
            Map<String, List<WorkUnitRecord>> byJob = new java.util.LinkedHashMap<>();
            units.stream().filter(this::retried).forEach(u -> byJob.computeIfAbsent(u.job(), k -> new ArrayList<>()).add(u));
            if (byJob.isEmpty()) {
                return false;
            }
            // asked before any unit is claimed: a scheduler that does not answer fails this refresh with nothing claimed,
            // and the refresh that follows (Patience) retries the units then, instead of leaving them for a resume
            Map<String, xmrun.scheduler.Limits> limitsByCluster = new java.util.HashMap<>();
            for (String job : byJob.keySet()) {
                Placement at = placement(exp, job);
                if (!limitsByCluster.containsKey(at.cluster())) {
                    Cluster cluster = cluster(at);
                    limitsByCluster.put(at.cluster(),
                            cluster.scheduler().limits(cluster.transport().run(cluster.scheduler().limitsCommand())));
                }
            }
            for (Map.Entry<String, List<WorkUnitRecord>> e : byJob.entrySet()) {
                @SuppressWarnings("unchecked")
                List<String> names = (List<String>) settings(e.getKey()).getOrDefault("secrets", List.of());
                List<String> missing = secrets.missing(names);
                if (!missing.isEmpty()) { // not claimed: the units wait, failed, for an xmrun that has the value
                    String why = "secret " + missing.get(0) + " is not set in this xmrun's environment";
                    store.updateStatus(e.getValue().stream().filter(u -> !Retry.waiting(u.reason(), why).equals(u.reason()))
                            .map(u -> u.withStatus(u.state(), u.exitCode(), u.startedAt(), u.endedAt(), Retry.waiting(u.reason(), why))).toList());
                    continue;
                }
                List<WorkUnitRecord> claimed = store.claimRetries(exp.id(), e.getValue());
                if (claimed.isEmpty()) {
                    continue; // another xmrun got there first
                }
                Object parallel = settings(e.getKey()).get("maxParallel");
                Placement at = placement(exp, e.getKey());
                try {
                    new Retrier(cluster(at), secrets, names).resubmit(at.experiment(), e.getKey(), claimed,
                            parallel == null ? null : ((Number) parallel).intValue(), limitsByCluster.get(at.cluster()),
                            ids -> store.markSubmitted(exp.id(), ids, java.time.Instant.now()));
                } catch (xmrun.Failure f) {
                    // left UNSUBMITTED with its new attempt number: xmrun resume submits it
                    store.updateStatus(claimed.stream().map(u -> u.withStatus(WorkUnitState.UNSUBMITTED, null, null, null,
                            "retry not submitted: " + f.getMessage())).toList());
                }
            }
            return true;
        }

        private boolean stillHeld(String job) {
            return store.jobs(exp.id()).stream().anyMatch(j -> j.name().equals(job) && "HELD".equals(j.hold()));
        }

        private Map<String, Object> settings(String job) {
            return jobs.stream().filter(j -> j.name().equals(job)).findFirst().map(ExperimentStore.JobRecord::settings).orElse(Map.of());
        }

        /** Ended, and not about to run again. */
        private boolean endedForGood(WorkUnitRecord u) {
            return u.state().isFinal() && !retried(u);
        }

        private boolean resolveHolds(List<WorkUnitRecord> units) {
            boolean changed = false;
            for (ExperimentStore.JobRecord j : jobs) {
                if (!"HELD".equals(j.hold())) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> after = (List<Map<String, Object>>) j.settings().getOrDefault("after", List.of());
                boolean allEnded = true;
                String unmet = null;
                for (Map<String, Object> d : after) {
                    List<WorkUnitRecord> parent = units.stream().filter(u -> u.job().equals(d.get("job"))).toList();
                    allEnded &= parent.stream().allMatch(this::endedForGood);
                    boolean succeeded = parent.stream().allMatch(u -> u.state() == WorkUnitState.SUCCEEDED);
                    if (!xmrun.model.Dependency.When.valueOf((String) d.get("when")).satisfiedBy(succeeded) && unmet == null) {
                        unmet = (String) d.get("job");
                    }
                }
                if (!allEnded) {
                    continue;
                }
                // the scheduler first, the store after: a release or cancel that failed leaves the job HELD in the
                // store, and the next refresh does it again (both are harmless to repeat)
                List<WorkUnitRecord> mine = units.stream().filter(u -> u.job().equals(j.name())).toList();
                Placement at = placement(exp, j.name());
                Cluster cluster = cluster(at);
                if (unmet == null) {
                    List<String> ids = mine.stream().filter(u -> u.schedulerId() != null)
                            .map(u -> cluster.scheduler().parseTask(u.schedulerId()).jobId()).distinct().toList();
                    for (List<String> release : cluster.scheduler().releaseCommands(ids)) {
                        xmrun.transport.ExecResult r = cluster.transport().run(release);
                        if (!r.ok() && stillHeld(j.name())) { // else another xmrun released them first, and they may have started
                            throw cluster.scheduler().failure(release.get(0) + " failed", r);
                        }
                    }
                    store.resolveHold(exp.id(), j.name(), "RELEASED");
                } else {
                    new Canceller(cluster).cancel(at.experiment(), mine);
                    if (store.resolveHold(exp.id(), j.name(), "CANCELLED")) {
                        store.updateStatus(mine.stream().map(u -> u.withStatus(WorkUnitState.CANCELLED, null, null, java.time.Instant.now(),
                                "DependencyNeverSatisfied")).toList());
                    }
                }
                changed = true;
            }
            return changed;
        }
    }

    /** One command per cluster that has units to read, in that cluster's work dir. */
    private void collectResults(ExperimentRecord exp) {
        Map<Integer, Integer> attempts = store.resultsToCollect(exp.id());
        if (attempts.isEmpty()) {
            return;
        }
        List<Placement> placements = placements(exp);
        if (placements.size() == 1) {
            store.recordResults(exp.id(), attempts, new ResultCollector(cluster(placements.get(0))).collect(exp.workDir(), attempts));
            return;
        }
        Map<Integer, String> jobOf = new java.util.HashMap<>();
        store.workUnits(exp.id()).forEach(u -> jobOf.put(u.id(), u.job()));
        for (Placement p : placements) {
            Map<Integer, Integer> mine = new java.util.TreeMap<>();
            attempts.forEach((id, attempt) -> {
                if (p.has(jobOf.get(id))) {
                    mine.put(id, attempt);
                }
            });
            if (!mine.isEmpty()) {
                store.recordResults(exp.id(), mine, new ResultCollector(cluster(p)).collect(p.experiment().workDir(), mine));
            }
        }
    }

    private List<WorkUnitRecord> refreshStates(ExperimentRecord exp) {
        List<WorkUnitRecord> units = store.workUnits(exp.id());
        List<WorkUnitRecord> open = units.stream().filter(u -> !u.state().isSettled()).toList();
        if (open.isEmpty()) {
            return units;
        }
        Map<Integer, UnitStatus> seen = new java.util.HashMap<>();
        for (Placement p : placements(exp)) { // one batch of scheduler calls per cluster
            List<WorkUnitRecord> mine = p.unitsOf(open);
            if (!mine.isEmpty()) {
                seen.putAll(new StatusReader(cluster(p)).status(p.experiment(), mine));
            }
        }
        List<WorkUnitRecord> changed = new ArrayList<>();
        List<WorkUnitRecord> result = new ArrayList<>(units.size());
        for (WorkUnitRecord u : units) {
            UnitStatus s = seen.get(u.id());
            // a reason xmrun gave (a dependency it cancelled on) stays while the scheduler has none of its own
            String reason = s == null ? null : s.reason() != null || s.state() != u.state() ? s.reason() : u.reason();
            WorkUnitRecord now = s == null ? u : u.withStatus(s.state(), s.exitCode(), s.startedAt(), s.endedAt(), reason);
            if (!now.equals(u)) {
                changed.add(now);
            }
            result.add(now);
        }
        if (!changed.isEmpty()) {
            store.updateStatus(changed);
        }
        return result;
    }

    /** Cancels the units that have not ended and waits (up to {@code patience}) until they show as final. */
    public List<WorkUnitRecord> cancel(ExperimentRecord exp, List<WorkUnitRecord> units, java.time.Duration patience)
            throws InterruptedException {
        List<WorkUnitRecord> open = units.stream().filter(u -> !u.state().isSettled()).toList();
        List<WorkUnitRecord> unsubmitted = units.stream().filter(u -> u.state() == WorkUnitState.UNSUBMITTED).toList();
        if (!unsubmitted.isEmpty()) { // never reached a scheduler: cancelled here, a resume will not submit them
            store.updateStatus(unsubmitted.stream().map(u -> u.withStatus(WorkUnitState.CANCELLED, null, null, java.time.Instant.now(), "cancelled before it was submitted")).toList());
        }
        for (Placement p : placements(exp)) { // one cancel per cluster
            List<WorkUnitRecord> mine = p.unitsOf(open);
            if (!mine.isEmpty()) {
                new Canceller(cluster(p)).cancel(p.experiment(), mine);
            }
        }
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        open.forEach(u -> ids.add(u.id()));
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<WorkUnitRecord> now = refresh(exp);
            boolean settled = now.stream().filter(u -> ids.contains(u.id())).allMatch(u -> u.state().isFinal());
            if (settled || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(100);
        }
    }
}
