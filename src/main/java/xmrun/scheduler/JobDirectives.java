package xmrun.scheduler;

import xmrun.model.Resources;

import java.util.Map;

/**
 * What a job asks of the scheduler, before it becomes directive lines.
 *
 * @param name     scheduler job name, e.g. {@code xm12-train}: lets status and cancel find the experiment's jobs
 * @param schedDir where the scheduler writes its own output for each task (not the program's: the script
 *                 redirects that into the work unit's dir)
 * @param options  scheduler options passed through as written ({@code --constraint=a100} / {@code -l arch=x})
 * @param rerunByXmrun the job has {@code retry}: xmrun runs failed units again itself, so the scheduler must not
 *                 requeue them behind its back (each attempt is one xmrun knows, with its XM_ATTEMPT)
 */
public record JobDirectives(String name, Resources resources, String partition, String queue, String account, String qos,
                            String schedDir, String workDir, Map<String, String> options, boolean rerunByXmrun) {

    public JobDirectives(String name, Resources resources, String partition, String queue, String account, String qos,
                         String schedDir, String workDir, Map<String, String> options) {
        this(name, resources, partition, queue, account, qos, schedDir, workDir, options, false);
    }
}
