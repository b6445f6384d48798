package xmrun.local;

import xmrun.transport.LocalTransport;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one array submitted to the local scheduler, in a process of its own that outlives xmrun (as
 * slurmstepd does for a Slurm job): waits for the jobs it depends on, starts each task once its CPU and
 * GPU slots are free (and fewer than {@code parallel} of its tasks run), stops a task at its time limit
 * (TERM, then KILL) or when cancelled, and appends every start and end to the job's events file. It
 * keeps nothing in memory that the files do not also say, and loads no Groovy.
 */
public final class LocalRunner {
    static final long TICK_MS = 100;
    /** Between TERM and KILL, as Slurm's KillWait (slurm.conf(5)), shorter: work units on a desktop. */
    static final long KILL_WAIT_MS = 5_000;
    /** Runs a task and leaves its exit code in a file, for a later runner or status if this one is gone. */
    private static final String WRAPPER = "bash \"$1\" \"$2\"; code=$?; printf '%s\\n' \"$code\" >\"$3\"; exit \"$code\"";

    private final Spool spool;
    private final RunnerJob job;
    private final Path dir;
    private final Slots slots;
    private final LocalTransport transport = new LocalTransport();
    private final OutputStream events;
    private final BlockingQueue<Integer> ended = new LinkedBlockingQueue<>();
    private final Map<Integer, Running> running = new LinkedHashMap<>();
    private int nextTask;
    private int endedCount;
    private boolean allSucceeded = true;
    private String waitingFor;

    private static final class Running {
        final Process process;
        final Slots.Grant grant;
        final long startedMillis;
        String stoppedAs; // TIMEOUT or CANCELLED once we signalled it
        long killAt;

        Running(Process process, Slots.Grant grant, long startedMillis) {
            this.process = process;
            this.grant = grant;
            this.startedMillis = startedMillis;
        }
    }

    LocalRunner(Spool spool, RunnerJob job, Slots slots) throws IOException {
        this.spool = spool;
        this.job = job;
        this.dir = spool.job(job.id());
        this.slots = slots;
        this.events = new FileOutputStream(dir.resolve("events").toFile(), true);
        this.nextTask = job.firstTask();
    }

    public static void main(String[] args) throws Exception {
        Spool spool = new Spool(Path.of(args[0]));
        RunnerJob job = RunnerJob.read(spool, args[1]);
        Slots slots = new Slots(spool.slots(), Runtime.getRuntime().availableProcessors(), MachineGpus.ids(new LocalTransport()));
        new LocalRunner(spool, job, slots).run();
    }

    void run() throws IOException, InterruptedException {
        String unmet = awaitDependencies();
        if (unmet != null) {
            for (int t = job.firstTask(); t <= job.lastTask(); t++) {
                end(t, "CANCELLED", 0, unmet);
            }
        } else {
            while (endedCount < job.taskCount()) {
                Integer done = ended.poll(TICK_MS, TimeUnit.MILLISECONDS);
                for (; done != null; done = ended.poll()) {
                    collect(done);
                }
                enforceLimitsAndCancels();
                startWhatCan();
            }
        }
        Spool.writeAtomically(dir.resolve("done"), allSucceeded ? "succeeded" : "failed");
        events.close();
    }

    /** Waits until every job this one depends on is done (and it is released, if held); null when it may run, else why not. */
    private String awaitDependencies() throws InterruptedException {
        if (Files.exists(dir.resolve("held"))) {
            waiting("JobHeldUser");
            while (Files.exists(dir.resolve("held"))) {
                if (cancelled()) {
                    return "cancelled";
                }
                Thread.sleep(TICK_MS);
            }
        }
        if (!job.after().isEmpty()) {
            waiting("Dependency");
        }
        for (RunnerJob.After after : job.after()) {
            for (String other : after.jobIds()) {
                String outcome;
                while ((outcome = outcome(other)) == null) {
                    if (cancelled()) {
                        return "cancelled";
                    }
                    Thread.sleep(TICK_MS);
                }
                boolean succeeded = outcome.equals("succeeded");
                boolean met = switch (after.type()) {
                    case "afterany" -> true;
                    case "afternotok" -> !succeeded;
                    default -> succeeded;
                };
                if (!met) {
                    return "DependencyNeverSatisfied";
                }
            }
        }
        return null;
    }

    /** "succeeded", "failed", or null while the other job runs. A runner that died without finishing failed. */
    private String outcome(String otherJob) {
        Path other = spool.job(otherJob);
        String done = Spool.readOrNull(other.resolve("done"));
        if (done != null) {
            return done;
        }
        String pid = Spool.readOrNull(other.resolve("runner.pid"));
        if (pid != null && !LocalTransport.isRunning(Long.parseLong(pid))) {
            return Spool.readOrNull(other.resolve("done")) != null ? Spool.readOrNull(other.resolve("done")) : "failed";
        }
        return null;
    }

    private void startWhatCan() throws IOException {
        while (nextTask <= job.lastTask()) {
            int task = nextTask;
            if (cancelled() || Files.exists(dir.resolve("cancel." + task))) {
                nextTask++;
                end(task, "CANCELLED", 0, "cancelled");
                continue;
            }
            if (job.parallel() != null && running.size() >= job.parallel()) {
                waiting("JobArrayTaskLimit");
                return;
            }
            Slots.Grant grant = slots.tryTake(job.cpus(), job.gpus());
            if (grant == null) {
                waiting("Resources");
                return;
            }
            nextTask++;
            start(task, grant);
        }
    }

    private void start(int task, Slots.Grant grant) throws IOException {
        Files.createDirectories(job.schedDir());
        Map<String, String> env = new HashMap<>();
        env.put("XM_LOCAL_JOB_ID", job.id());
        env.put("XM_LOCAL_TASK_ID", Integer.toString(task));
        if (job.gpus() > 0) {
            env.put("CUDA_VISIBLE_DEVICES", String.join(",", grant.gpus()));
        }
        // setsid: the task leads a process group of its own, so a stop reaches whatever it started too
        Process p = transport.start(List.of("setsid", "bash", "-c", WRAPPER, "xmrun-task", job.script().toString(),
                job.offset(), dir.resolve("exit." + task).toString()), env,
                job.schedDir().resolve(job.name() + "-" + job.id() + "_" + task + ".out"));
        long now = System.currentTimeMillis();
        running.put(task, new Running(p, grant, now));
        event(task + " start " + now + " " + p.pid());
        p.onExit().thenRun(() -> ended.add(task));
    }

    private void collect(int task) throws IOException {
        Running r = running.remove(task);
        slots.release(r.grant);
        int code = r.process.exitValue();
        String state = r.stoppedAs != null ? r.stoppedAs : code == 0 ? "COMPLETED" : "FAILED";
        end(task, state, code, r.stoppedAs == null ? "-" : r.stoppedAs.equals("TIMEOUT") ? "TIMEOUT" : "cancelled");
        Files.deleteIfExists(dir.resolve("exit." + task)); // recorded now; only a runner that died needs it
    }

    private void enforceLimitsAndCancels() {
        long now = System.currentTimeMillis();
        boolean jobCancelled = cancelled();
        for (Map.Entry<Integer, Running> e : running.entrySet()) {
            Running r = e.getValue();
            if (r.stoppedAs == null) {
                if (jobCancelled || Files.exists(dir.resolve("cancel." + e.getKey()))) {
                    stop(r, "CANCELLED", now);
                } else if (job.timeLimitSeconds() != null && now - r.startedMillis > job.timeLimitSeconds() * 1000) {
                    stop(r, "TIMEOUT", now);
                }
            } else if (now >= r.killAt && r.process.isAlive()) {
                transport.signalGroup(r.process.pid(), "KILL");
                r.killAt = Long.MAX_VALUE;
            }
        }
    }

    private void stop(Running r, String as, long now) {
        r.stoppedAs = as;
        r.killAt = now + KILL_WAIT_MS;
        transport.signalGroup(r.process.pid(), "TERM");
    }

    private boolean cancelled() {
        return Files.exists(dir.resolve("cancel"));
    }

    private void end(int task, String state, int code, String reason) throws IOException {
        endedCount++;
        if (!state.equals("COMPLETED")) {
            allSucceeded = false;
        }
        event(task + " end " + System.currentTimeMillis() + " " + state + " " + code + " " + reason);
    }

    /** Why the tasks not started yet wait, written when it changes. */
    private void waiting(String reason) {
        if (!reason.equals(waitingFor)) {
            waitingFor = reason;
            event("- wait " + reason);
        }
    }

    private void event(String line) {
        try {
            events.write((line + "\n").getBytes(StandardCharsets.UTF_8)); // one append per line: readers never see half of one
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
