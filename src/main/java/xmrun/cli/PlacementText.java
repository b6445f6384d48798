package xmrun.cli;

import xmrun.executor.ClusterChooser;
import xmrun.store.ExperimentStore;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a launch on several clusters is told: each chain of jobs, where it went, and what every candidate answered. */
final class PlacementText {
    private PlacementText() {
    }

    /** One line per chain: "  train (with eval) -> b   b: now, a: in 10m02s, c: skipped (why)". */
    static void print(List<ClusterChooser.Choice> choices, PrintWriter out) {
        for (ClusterChooser.Choice c : choices) {
            List<String> answers = new ArrayList<>();
            for (ClusterChooser.Answer a : c.answers()) {
                answers.add(a.cluster() + ": " + answer(a.delay() == null ? null : a.delay().getSeconds(), a.estimate().refusal()));
            }
            out.printf("  %s -> %s   %s%n", chain(c.jobNames()), c.picked() == null ? "nowhere" : c.picked(), String.join(", ", answers));
        }
    }

    /** One line per candidate that was skipped, for stderr: which chain, which cluster, why. */
    static void notes(List<ClusterChooser.Choice> choices, PrintWriter err) {
        for (ClusterChooser.Choice c : choices) {
            for (ClusterChooser.Answer a : c.answers()) {
                if (!a.accepted() && c.picked() != null) {
                    err.printf("xmrun: %s skipped for job %s: %s%n", a.cluster(), c.first().name(), oneLine(a.estimate().refusal()));
                }
            }
        }
        err.flush();
    }

    /** The same from the store, for status: "  train -> b   b: now, a: in 10m02s". */
    static void print(List<ExperimentStore.EstimateRecord> estimates, Map<String, String> jobClusters, PrintWriter out) {
        Map<String, List<ExperimentStore.EstimateRecord>> byJob = new LinkedHashMap<>();
        estimates.forEach(e -> byJob.computeIfAbsent(e.job(), j -> new ArrayList<>()).add(e));
        byJob.forEach((job, rows) -> {
            List<String> answers = rows.stream().map(e -> e.cluster() + ": " + answer(e.delay(), e.refusal())).toList();
            out.printf("  %s -> %s   %s%n", job, jobClusters.getOrDefault(job, "nowhere"), String.join(", ", answers));
        });
    }

    static String answer(Long delaySeconds, String refusal) {
        if (refusal != null) {
            return "skipped (" + abbreviate(oneLine(refusal), 90) + ")";
        }
        if (delaySeconds == null) {
            return "no estimate";
        }
        return delaySeconds == 0 ? "now" : "in " + human(Duration.ofSeconds(delaySeconds));
    }

    private static String chain(List<String> jobs) {
        return jobs.get(0) + (jobs.size() > 1 ? " (with " + String.join(", ", jobs.subList(1, jobs.size())) + ")" : "");
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        return s < 60 ? s + "s" : s < 3600 ? String.format("%dm%02ds", s / 60, s % 60)
                : s < 86_400 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }

    private static String oneLine(String s) {
        return s.replace("\n", " ").strip();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
