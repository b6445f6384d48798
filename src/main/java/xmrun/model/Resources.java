package xmrun.model;

import java.time.Duration;

/** What one work unit asks the scheduler for; null means "the cluster's default". */
public record Resources(Integer cpus, Long memoryMib, Integer gpus, Duration time) {
    public static final Resources DEFAULT = new Resources(null, null, null, null);
}
