package xmrun.executor;

import xmrun.store.ExperimentRecord;
import xmrun.transport.ExecResult;

import java.util.List;

/**
 * Notices that a work unit ended without asking the scheduler: each unit's script writes
 * {@code wu/ID/exit_code} as it ends, and one cheap command on the open connection asks whether any
 * was written since the last look. The scheduler is still asked, less often, for units that die
 * without writing theirs (a node failure, an OOM kill).
 */
public final class EndWatch {
    /**
     * $1 the work dir, $2 this watch's marker. Prints "ended" when an exit_code file is newer than the marker;
     * the new marker is made before looking, so a file written while find runs is seen next time.
     */
    static final String CHECK = """
            wu=$1/wu; m=$1/$2
            [ -d "$wu" ] || exit 0
            touch "$m.new"
            if [ -e "$m" ] && find "$wu" -mindepth 2 -maxdepth 2 -name exit_code -newer "$m" -print -quit | grep -q .; then echo ended; fi
            mv -f "$m.new" "$m"
            """;

    private final Cluster cluster;
    private final ExperimentRecord experiment;
    private final String marker;

    public EndWatch(Cluster cluster, ExperimentRecord experiment) {
        this.cluster = cluster;
        this.experiment = experiment;
        this.marker = ".ended-since-" + ProcessHandle.current().pid(); // two watchers do not take each other's news
    }

    /** Whether a unit ended since the last call (the first call only sets the mark). */
    public boolean anyEnded() {
        ExecResult r = cluster.transport().run(List.of("sh", "-c", CHECK, "xmrun-ended", experiment.workDir(), marker));
        return r.ok() && r.stdout().contains("ended");
    }

    public void close() {
        cluster.transport().run(List.of("rm", "-f", experiment.workDir() + "/" + marker));
    }
}
