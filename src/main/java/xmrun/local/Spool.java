package xmrun.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The local scheduler's files, one directory per user ({@code XMRUN_HOME/local}). The submit, status,
 * cancel and find commands of {@link xmrun.scheduler.local.LocalScheduler} are shell scripts over the
 * same names, so both sides are listed here:
 * <pre>
 * last-id, lock              job id allocation (flock(1) on lock)
 * slots/cpu.N, slots/gpu.ID  one lock file per CPU and per GPU of this machine; a running task holds its own
 * jobs/ID/spec               what was submitted: name=, script=, offset=, tasks=FIRST-LAST, parallel=, after=
 * jobs/ID/runner.pid, runner.log
 * jobs/ID/events             appended by the runner: "TASK start MILLIS PID", "TASK end MILLIS STATE EXIT REASON",
 *                            "- wait REASON" (why the tasks not started yet wait)
 * jobs/ID/held               present while the job is held: its tasks wait until it is removed (release)
 * jobs/ID/cancel, cancel.T   cancel requests for the whole job / one task
 * jobs/ID/exit.T             a started task's exit code, written by its wrapper: read if the runner is gone
 * jobs/ID/done               "succeeded" or "failed" once every task has ended
 * </pre>
 */
public record Spool(Path dir) {
    public Path job(String id) {
        return dir.resolve("jobs").resolve(id);
    }

    public Path slots() {
        return dir.resolve("slots");
    }

    static void writeAtomically(Path file, String text) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's trimmed text, or null when it does not exist (yet). */
    static String readOrNull(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
