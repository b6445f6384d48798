package xmrun.state;

import java.time.Instant;

/** What a status call learned about one work unit. */
public record UnitStatus(WorkUnitState state, Integer exitCode, Instant startedAt, Instant endedAt, String reason) {
    public UnitStatus(WorkUnitState state, Integer exitCode, Instant startedAt, Instant endedAt) {
        this(state, exitCode, startedAt, endedAt, null);
    }
}
