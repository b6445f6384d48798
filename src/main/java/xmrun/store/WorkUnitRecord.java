package xmrun.store;

import xmrun.state.WorkUnitState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A work unit as the store remembers it; scheduler id, state, times and reason are those of its latest attempt,
 * as last seen.
 *
 * @param reason  why it waits or why it ended as it did, in the scheduler's words (Priority, TIMEOUT, ...), or null
 * @param point   its sweep values, as the launcher wrote them (numbers stay numbers)
 * @param attempt 1, then 2, 3, ... when it is run again ({@code XM_ATTEMPT})
 */
public record WorkUnitRecord(long experimentId, int id, String job, int index, List<String> argv,
                             Map<String, String> env, String scriptPath, String schedulerId,
                             WorkUnitState state, Integer exitCode, Instant submittedAt, Instant startedAt,
                             Instant endedAt, String reason, Map<String, Object> point, int attempt) {

    public WorkUnitRecord withStatus(WorkUnitState newState, Integer newExit, Instant started, Instant ended, String newReason) {
        return new WorkUnitRecord(experimentId, id, job, index, argv, env, scriptPath, schedulerId, newState, newExit,
                submittedAt, started, ended, newReason, point, attempt);
    }
}
