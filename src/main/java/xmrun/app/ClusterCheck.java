package xmrun.app;

import xmrun.Failure;
import xmrun.executor.Cluster;
import xmrun.scheduler.Limits;
import xmrun.scheduler.Scheduler;
import xmrun.transport.ExecResult;

import java.util.ArrayList;
import java.util.List;

/** {@code xmrun clusters check}: can xmrun connect, run commands, ask the scheduler and write the workdir? */
public final class ClusterCheck {
    /** One check: what was tried, whether it worked, and what was learned or went wrong. */
    public record Result(boolean ok, String what, String detail) {
    }

    private ClusterCheck() {
    }

    public static List<Result> run(Cluster cluster) {
        List<Result> results = new ArrayList<>();
        long t0 = System.nanoTime();
        ExecResult ping = cluster.transport().run(List.of("true"));
        results.add(new Result(ping.ok(), "connect and run a command", millis(t0) + " ms" + (cluster.remote() ? " (" + cluster.describe() + ")" : "")));
        long t1 = System.nanoTime();
        cluster.transport().run(List.of("true"));
        results.add(new Result(true, "round trip", millis(t1) + " ms"));
        Scheduler scheduler = cluster.scheduler();
        try {
            Limits limits = scheduler.limits(cluster.transport().run(scheduler.limitsCommand()));
            results.add(new Result(true, scheduler.name() + " answers", "arrays of up to " + limits.maxArraySize() + " tasks"
                    + (limits.cpus() == null ? "" : ", " + limits.cpus() + " cpus, " + limits.gpus() + " gpus")));
        } catch (Failure e) {
            results.add(new Result(false, scheduler.name() + " answers", e.getMessage()));
        }
        String root = cluster.root();
        if (root != null) {
            String probe = root + "/.xmrun-write-test";
            ExecResult w = cluster.transport().run(List.of("sh", "-c", "mkdir -p \"$1\" && touch \"$2\" && rm -f \"$2\"", "check", root, probe));
            results.add(new Result(w.ok(), "workdir " + root, w.ok() ? "writable" : w.stderr().strip()));
        }
        return results;
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
