package xmrun.cluster

import xmrun.scheduler.Scheduler
import xmrun.scheduler.SchedulerRegistry

/** The features every scheduler shares, on this machine's own local scheduler. */
class LocalIntegrationSpec extends LiveSchedulerSpec {
    Scheduler newScheduler() { SchedulerRegistry.create('local', SchedulerRegistry.Environment.of(home.dir())) }

    String shortTimeLimit() { '4s' }

    int secondsPastShortLimit() { 60 }

    String clusterName() { 'local' }

    String submitProgram() { 'xmrun-local-submit' }

    String cancelProgram() { 'xmrun-local-cancel' }

    String limitsProgram() { 'xmrun-local-limits' }

    List<String> statusPrograms() { ['xmrun-local-status'] }

    String dependencyFailedReason() { 'DependencyNeverSatisfied' }
}
