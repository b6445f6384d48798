package xmrun.store;

import java.time.Instant;
import java.util.List;

/** An experiment as the store remembers it. */
public record ExperimentRecord(long id, String name, String launcher, String cluster, String workDir,
                               Instant createdAt, List<String> scriptArgs) {
}
