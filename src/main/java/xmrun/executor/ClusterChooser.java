package xmrun.executor;

import xmrun.Failure;
import xmrun.model.Job;
import xmrun.model.ScriptError;
import xmrun.plan.Plan;
import xmrun.render.JobScripts;
import xmrun.scheduler.Capability;
import xmrun.scheduler.Limits;
import xmrun.scheduler.Scheduler;
import xmrun.scheduler.StartEstimate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Picks, for each chain of jobs (jobs joined by {@code after} or a group, which must share a cluster), the candidate
 * cluster that would start it first. Every candidate is asked at once, one thread per cluster on the cluster's own
 * connection, about the first job of each chain (the one that starts first): a scheduler with
 * {@link Capability#START_ESTIMATES} says when it would start it, or that it never could; any other is asked for its
 * limits, which say whether the chain fits, and cannot say when. The earliest estimate wins, ties to the candidate
 * named first; candidates without an estimate come after every estimate, in the order named; a candidate that cannot
 * be reached or refuses is skipped.
 */
public final class ClusterChooser {
    /**
     * A candidate: its cluster and the plan as it would run there (container runtimes may differ from one cluster to the
     * next; work units and resources do not).
     */
    public record Candidate(Cluster cluster, Plan plan) {
    }

    /**
     * One candidate's answer for one chain.
     *
     * @param delay how long after its answer the job would start (an estimate already past, or less than {@link #NOW} ahead,
     *              counts as now); null
     *             without an estimate
     */
    public record Answer(String cluster, StartEstimate estimate, Duration delay) {
        public boolean accepted() {
            return estimate.accepted();
        }
    }

    /**
     * What was asked for one chain and what was picked.
     *
     * @param answers every candidate's, in the order named
     * @param picked  the cluster the chain goes to, or null when none can take it
     */
    public record Choice(List<Job> chain, List<Answer> answers, String picked) {
        public Job first() {
            return chain.get(0);
        }

        public List<String> jobNames() {
            return chain.stream().map(Job::name).toList();
        }
    }

    private final List<Candidate> candidates;

    public ClusterChooser(List<Candidate> candidates) {
        this.candidates = List.copyOf(candidates);
    }

    /** Asks every candidate about every chain of {@code plan} (all at once) and picks a cluster for each. */
    public List<Choice> choose(Plan plan) {
        List<List<Job>> chains = plan.chains();
        List<List<Answer>> byCandidate = askAll(chains);
        List<Choice> choices = new ArrayList<>();
        for (int c = 0; c < chains.size(); c++) {
            List<Answer> answers = new ArrayList<>();
            for (List<Answer> a : byCandidate) {
                answers.add(a.get(c));
            }
            choices.add(new Choice(chains.get(c), answers, pick(answers)));
        }
        return choices;
    }

    /**
     * Estimates this close to the moment of the answer count as now: schedulers answer in whole seconds, by their own
     * clocks, and two idle clusters asked at once should tie (and go to the first named), not be told apart by which
     * answered on the other side of a second boundary or has a clock a little ahead.
     */
    static final Duration NOW = Duration.ofSeconds(5);

    /** How long after {@code answered} a job estimated to start at {@code start} would start; within {@link #NOW}: zero. */
    static Duration delay(Instant start, Instant answered) {
        Duration d = Duration.between(answered.truncatedTo(ChronoUnit.SECONDS), start);
        return d.compareTo(NOW) <= 0 ? Duration.ZERO : d;
    }

    /** The earliest start, ties to the first named; then the first named that takes it without saying when. */
    static String pick(List<Answer> answers) {
        Comparator<Answer> soonest = Comparator.comparing(Answer::delay);
        return answers.stream().filter(a -> a.accepted() && a.delay() != null).min(soonest) // min keeps the first of equals
                .or(() -> answers.stream().filter(Answer::accepted).findFirst())
                .map(Answer::cluster).orElse(null);
    }

    private List<List<Answer>> askAll(List<List<Job>> chains) {
        ExecutorService pool = Executors.newFixedThreadPool(candidates.size(), r -> {
            Thread t = new Thread(r, "xmrun-estimate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<Answer>>> pending = new ArrayList<>();
            for (Candidate c : candidates) {
                pending.add(pool.submit(() -> ask(c, chains)));
            }
            List<List<Answer>> out = new ArrayList<>();
            for (Future<List<Answer>> f : pending) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while asking the clusters when the jobs would start", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new Failure(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One candidate's answers for every chain, asked in turn on its connection; a cluster that cannot be reached refuses all. */
    private static List<Answer> ask(Candidate c, List<List<Job>> chains) {
        String name = c.cluster().name();
        Scheduler scheduler = c.cluster().scheduler();
        List<Answer> answers = new ArrayList<>();
        try {
            Limits limits = scheduler.capabilities().contains(Capability.START_ESTIMATES) ? null
                    : scheduler.limits(c.cluster().transport().run(scheduler.limitsCommand()));
            for (List<Job> chain : chains) {
                answers.add(ask(c, chain, limits));
            }
        } catch (Failure e) { // unreachable, or its scheduler does not answer
            while (answers.size() < chains.size()) {
                answers.add(new Answer(name, StartEstimate.refused(e.getMessage()), null));
            }
        }
        return answers;
    }

    private static Answer ask(Candidate c, List<Job> chain, Limits limits) {
        Cluster cluster = c.cluster();
        Scheduler scheduler = cluster.scheduler();
        Plan part = c.plan().only(chain.stream().map(Job::name).toList());
        try {
            JobScripts.check(part, scheduler);
            if (limits != null) {
                Submitter.checkFits(part, limits);
                return new Answer(cluster.name(), StartEstimate.UNKNOWN, null);
            }
        } catch (ScriptError e) { // what the launcher asks this scheduler cannot do (the cluster is fine)
            return new Answer(cluster.name(), StartEstimate.refused(e.getMessage()), null);
        }
        JobScripts.Target target = new JobScripts.Target(scheduler, job -> Cluster.jobName(0, job), cluster.defaults(), List.of(), null);
        StartEstimate e = scheduler.parseStartEstimate(cluster.transport().run(
                scheduler.startEstimateCommand(JobScripts.requests(part, chain.get(0), target))));
        return new Answer(cluster.name(), e, e.start() == null ? null : delay(e.start(), Instant.now()));
    }
}
