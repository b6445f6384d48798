package xmrun.local;

import xmrun.transport.LocalTransport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a local experiment's work units after xmrun has returned: a small detached process per
 * experiment that starts units as slots free up (at most {@code maxParallel} at once), honours
 * {@code after}, and leaves every outcome in files ({@link LocalLayout}) for any later xmrun to read.
 * It loads no Groovy and keeps nothing in memory that the files do not also say.
 */
public final class LocalAgent {
    private final LocalLayout layout;
    private final int maxParallel;
    private final List<JobRun> jobs = new ArrayList<>();
    private final Map<String, JobRun> byName = new HashMap<>();
    private final Map<Integer, Process> running = new HashMap<>();
    private final BlockingQueue<Integer> ended = new LinkedBlockingQueue<>();

    /** A job's progress: units not started yet, units ended, and whether all ended well. */
    private static final class JobRun {
        final LocalJobLine line;
        final Deque<Integer> waiting = new ArrayDeque<>();
        int ended;
        boolean allSucceeded = true;

        JobRun(LocalJobLine line) {
            this.line = line;
            for (int i = 0; i < line.count(); i++) {
                waiting.add(line.firstId() + i);
            }
        }

        boolean finished() {
            return ended == line.count();
        }
    }

    LocalAgent(Path experimentDir, int maxParallel) throws IOException {
        this.layout = new LocalLayout(experimentDir);
        this.maxParallel = maxParallel;
        for (String l : Files.readAllLines(layout.jobs(), StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                JobRun run = new JobRun(LocalJobLine.parse(l));
                jobs.add(run);
                byName.put(run.line.name(), run);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        LocalAgent agent = new LocalAgent(Path.of(args[0]), Integer.parseInt(args[1]));
        agent.run();
    }

    void run() throws InterruptedException, IOException {
        while (true) {
            startWhatCan();
            if (running.isEmpty()) {
                break; // nothing runs and nothing could start: every unit has ended or will never run
            }
            collect(ended.take());
        }
        LocalLayout.writeAtomically(layout.experimentDir().resolve("agent.done"), "");
    }

    private void startWhatCan() throws IOException {
        for (JobRun job : jobs) {
            if (job.waiting.isEmpty() || !dependenciesEnded(job)) {
                continue;
            }
            String blocker = unsatisfiedDependency(job);
            while (!job.waiting.isEmpty() && (blocker != null || running.size() < maxParallel)) {
                int id = job.waiting.poll();
                if (blocker != null) {
                    Files.createDirectories(layout.unitDir(id));
                    LocalLayout.writeAtomically(layout.cancelled(id), "dependency '" + blocker + "' did not end as required");
                    endWithoutRunning(job);
                } else if (Files.exists(layout.cancelled(id))) {
                    endWithoutRunning(job);
                } else {
                    start(job, id);
                }
            }
        }
    }

    private boolean dependenciesEnded(JobRun job) {
        return job.line.after().stream().allMatch(d -> byName.get(d.job()).finished());
    }

    private String unsatisfiedDependency(JobRun job) {
        for (LocalJobLine.Dep d : job.line.after()) {
            if (!d.when().satisfiedBy(byName.get(d.job()).allSucceeded)) {
                return d.job();
            }
        }
        return null;
    }

    private void endWithoutRunning(JobRun job) {
        job.ended++;
        job.allSucceeded = false;
    }

    private void start(JobRun job, int id) throws IOException {
        Files.createDirectories(layout.unitDir(id)); // made here, not at launch: a 10,000-unit launch makes no directories
        Process p = new ProcessBuilder("setsid", "bash", layout.jobScript(job.line.name()).toString(),
                Integer.toString(id - job.line.firstId()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(layout.stdout(id).toFile())
                .redirectError(layout.stderr(id).toFile())
                .start();
        running.put(id, p);
        LocalLayout.writeAtomically(layout.pid(id), Long.toString(p.pid()));
        // cancel writes its marker before it reads our pid file: if it missed the pid, we see the marker
        if (Files.exists(layout.cancelled(id))) {
            killGroup(p.pid());
        }
        p.onExit().thenRun(() -> ended.add(id));
    }

    private void collect(int id) {
        Process p = running.remove(id);
        int code = p.exitValue();
        LocalLayout.writeAtomically(layout.exitCode(id), Integer.toString(code));
        JobRun job = jobOf(id);
        job.ended++;
        if (code != 0 || Files.exists(layout.cancelled(id))) {
            job.allSucceeded = false;
        }
    }

    private JobRun jobOf(int id) {
        for (JobRun j : jobs) {
            if (id >= j.line.firstId() && id < j.line.firstId() + j.line.count()) {
                return j;
            }
        }
        throw new IllegalStateException("work unit " + id + " belongs to no job");
    }

    /** setsid gave the unit its own process group (pgid = pid): TERM reaches whatever it started too. */
    static void killGroup(long pid) {
        new LocalTransport().run(List.of("kill", "-TERM", "--", "-" + pid));
    }
}
