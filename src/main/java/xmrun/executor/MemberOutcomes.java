package xmrun.executor;

import xmrun.scheduler.Scheduler;
import xmrun.state.UnitStatus;
import xmrun.state.WorkUnitState;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;
import xmrun.transport.ExecResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The members of a job group end as one scheduler job, and the scheduler tells one outcome for all of
 * them: a heterogeneous job's components all take its batch script's exit code (sacct(1)). Each
 * member's own exit code is the one its work unit left in {@code exit_code} (templates/common/work-unit.sh.peb),
 * read here for every member that has just ended, in one command.
 */
final class MemberOutcomes {
    /** $1 the work dir, then unit ids: "ID CODE" per unit, CODE empty when the unit left none. */
    private static final String READ = "dir=$1; shift; for id; do "
            + "printf '%s %s\\n' \"$id\" \"$(cat \"$dir/wu/$id/exit_code\" 2>/dev/null)\"; done";

    private MemberOutcomes() {
    }

    /** Replaces the group's outcome in {@code statuses} by each member's own, where the member left one. */
    static void apply(Cluster cluster, ExperimentRecord experiment, List<WorkUnitRecord> units, Map<Integer, UnitStatus> statuses) {
        Scheduler scheduler = cluster.scheduler();
        List<String> argv = new ArrayList<>(List.of("sh", "-c", READ, "xmrun-exit-codes", experiment.workDir()));
        for (WorkUnitRecord u : units) {
            UnitStatus s = statuses.get(u.id());
            if (s != null && scheduler.parseTask(u.schedulerId()).component()
                    && (s.state() == WorkUnitState.SUCCEEDED || s.state() == WorkUnitState.FAILED)) {
                argv.add(Integer.toString(u.id()));
            }
        }
        if (argv.size() == 5) {
            return;
        }
        ExecResult r = cluster.transport().run(argv);
        for (String line : r.stdout().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 2 && f[0].matches("\\d+") && f[1].matches("\\d+")) {
                int id = Integer.parseInt(f[0]);
                int code = Integer.parseInt(f[1]);
                UnitStatus group = statuses.get(id);
                statuses.put(id, code == 0
                        ? new UnitStatus(WorkUnitState.SUCCEEDED, 0, group.startedAt(), group.endedAt(), null)
                        : new UnitStatus(WorkUnitState.FAILED, code, group.startedAt(), group.endedAt(),
                                group.state() == WorkUnitState.FAILED ? group.reason() : null));
            }
        }
    }
}
