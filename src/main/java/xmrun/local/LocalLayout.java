package xmrun.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * The files of a local experiment, shared by the agent that runs work units and by the xmrun
 * processes that read their state later:
 * <pre>
 * EXPDIR/jobs.tsv           what the agent runs (job, first id, count, dependencies)
 * EXPDIR/agent.pid, agent.log
 * EXPDIR/jobs/JOB.sh        the rendered script of a job; run as "JOB.sh INDEX" for each unit
 * EXPDIR/wu/ID/stdout, stderr
 * EXPDIR/wu/ID/pid          written when it starts (its mtime is the start time)
 * EXPDIR/wu/ID/exit_code    written when it ends
 * EXPDIR/wu/ID/cancelled    the reason it will not run or was stopped
 * </pre>
 * Every marker is written to a temporary file and renamed, so a reader never sees half a number.
 */
public record LocalLayout(Path experimentDir) {
    public static final String JOBS = "jobs.tsv";

    public Path jobs() {
        return experimentDir.resolve(JOBS);
    }

    public Path agentPid() {
        return experimentDir.resolve("agent.pid");
    }

    public Path agentLog() {
        return experimentDir.resolve("agent.log");
    }

    public Path unitDir(int id) {
        return experimentDir.resolve("wu").resolve(Integer.toString(id));
    }

    public static String jobScriptPath(String job) {
        return "jobs/" + job + ".sh";
    }

    public Path jobScript(String job) {
        return experimentDir.resolve(jobScriptPath(job));
    }

    public Path stdout(int id) {
        return unitDir(id).resolve("stdout");
    }

    public Path stderr(int id) {
        return unitDir(id).resolve("stderr");
    }

    public Path pid(int id) {
        return unitDir(id).resolve("pid");
    }

    public Path exitCode(int id) {
        return unitDir(id).resolve("exit_code");
    }

    public Path cancelled(int id) {
        return unitDir(id).resolve("cancelled");
    }

    public static void writeAtomically(Path file, String text) {
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
    public static String readOrNull(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Instant modifiedOrNull(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return null;
        }
    }
}
