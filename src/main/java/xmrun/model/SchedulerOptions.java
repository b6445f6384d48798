package xmrun.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a job is put to a batch scheduler, beyond its resources. Each field is optional.
 *
 * @param partition   Slurm partition ({@code --partition})
 * @param queue       SGE queue ({@code -q})
 * @param account     Slurm account / SGE project ({@code --account} / {@code -P})
 * @param qos         Slurm QOS
 * @param setup       shell lines run first in the job script ({@code module load cuda})
 * @param preRun      shell lines run just before the program, inside the work unit's directory context
 * @param postRun     shell lines run after it; the script still exits with the program's status
 * @param srun        run the program through {@code srun} with these options (null: no srun)
 * @param launchPrefix words put before the program, e.g. a profiler ({@code nsys profile})
 * @param maxParallel at most this many of the job's work units at once (array {@code %N} / {@code -tc})
 * @param maxArraySize split into arrays of at most this many tasks (the cluster's own limit always applies)
 * @param options     scheduler options passed through: {@code --key=value} on Slurm, {@code -key value} on SGE
 */
public record SchedulerOptions(String partition, String queue, String account, String qos, List<String> setup,
                               List<String> preRun, List<String> postRun, List<String> srun, List<String> launchPrefix,
                               Integer maxParallel, Integer maxArraySize, Map<String, String> options) {
    public static final SchedulerOptions NONE = new SchedulerOptions(null, null, null, null, List.of(), List.of(), List.of(),
            null, List.of(), null, null, Map.of());

    public SchedulerOptions {
        setup = List.copyOf(setup);
        preRun = List.copyOf(preRun);
        postRun = List.copyOf(postRun);
        srun = srun == null ? null : List.copyOf(srun);
        launchPrefix = List.copyOf(launchPrefix);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
