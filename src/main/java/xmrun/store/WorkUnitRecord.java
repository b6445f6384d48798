package xmrun.store;

import xmrun.state.WorkUnitState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A work unit as the store remembers it; state, times and reason are the last ones seen.
 *
 * @param reason why it waits or why it ended as it did, in the scheduler's words (Priority, TIMEOUT, ...), or null
 */
public record WorkUnitRecord(long experimentId, int id, String job, int index, List<String> argv,
                             Map<String, String> env, String scriptPath, String schedulerId,
                             WorkUnitState state, Integer exitCode, Instant submittedAt, Instant startedAt,
                             Instant endedAt, String reason) {

    public WorkUnitRecord withStatus(WorkUnitState newState, Integer newExit, Instant started, Instant ended, String newReason) {
        return new WorkUnitRecord(experimentId, id, job, index, argv, env, scriptPath, schedulerId, newState, newExit,
                submittedAt, started, ended, newReason);
    }
}
