package xmrun.scheduler

import spock.lang.Specification
import xmrun.FaultKind
import xmrun.scheduler.sge.SgeScheduler
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.transport.ExecResult

/** The schedulers' own words for common faults, as their clients print them, and the first words xmrun puts before them. */
class FaultWordsSpec extends Specification {

    def 'Slurm: #words'() {
        expect:
        new SlurmScheduler().fault(new ExecResult(1, '', words))?.kind() == kind

        where:
        words                                                                                                  || kind
        'squeue: error: slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n'          || FaultKind.SCHEDULER_DOWN
        'slurm_load_ctl_conf error: Unable to contact slurm controller (connect failure)'                       || FaultKind.SCHEDULER_DOWN
        'sbatch: error: Batch job submission failed: Socket timed out on send/recv operation'                   || FaultKind.SCHEDULER_DOWN
        'sacct: error: Problem talking to the database: Connection refused'                                     || FaultKind.SCHEDULER_DOWN
        'sbatch: error: Munge encode failed: Failed to access "/run/munge/munge.socket.2": No such file or directory' || FaultKind.AUTH_REFUSED
        'sbatch: error: Batch job submission failed: Access/permission denied'                                  || FaultKind.AUTH_REFUSED
        'sbatch: error: invalid partition specified: nope\nsbatch: error: Batch job submission failed: Invalid partition name specified' || FaultKind.QUEUE_UNKNOWN
        'sbatch: error: Batch job submission failed: Required partition not available (inactive or drain)'      || FaultKind.QUEUE_CLOSED
        'sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified' || null
        'squeue: error: Invalid job id specified'                                                               || null
    }

    def 'Grid Engine: #words'() {
        expect:
        new SgeScheduler().fault(new ExecResult(1, '', words))?.kind() == kind

        where:
        words                                                                                                  || kind
        'error: commlib error: got select error (Connection refused)\nunable to send message to qmaster using port 6444 on host "vm": got send error' || FaultKind.SCHEDULER_DOWN
        'error: unable to contact qmaster using port 6444 on host "vm"'                                        || FaultKind.SCHEDULER_DOWN
        'denied: host "vm" is no submit host'                                                                  || FaultKind.AUTH_REFUSED
        'error: commlib error: access denied (client IP resolved to host name "localhost")'                    || FaultKind.AUTH_REFUSED
        'Unable to run job: Job was rejected because job requests unknown queue "nope"\nExiting.'              || FaultKind.QUEUE_UNKNOWN
        'Unable to run job: error: no suitable queues.'                                                        || null
    }

    def 'a command that worked shows no fault, whatever it printed'() {
        expect:
        new SlurmScheduler().fault(new ExecResult(0, 'Unable to contact slurm controller', '')) == null
    }

    def 'the first words come first, then what was run, then the scheduler\'s own words'() {
        when:
        new SlurmScheduler().limits(new ExecResult(1, '', 'slurm_load_ctl_conf error: Unable to contact slurm controller (connect failure)\n'))

        then:
        def e = thrown(xmrun.Failure)
        e.message == "Slurm's controller is not answering: scontrol show config failed: slurm_load_ctl_conf error: " +
                'Unable to contact slurm controller (connect failure)'
        e.passing()
    }

    def 'a refusal with no known fault keeps the scheduler\'s words alone'() {
        when:
        new SgeScheduler().parseSubmit(new ExecResult(1, 'Unable to run job: error: no suitable queues.\nExiting.', ''))

        then:
        def e = thrown(xmrun.Failure)
        e.message == 'qsub refused the job: Unable to run job: error: no suitable queues.\nExiting.'
        e.kind() == null
    }
}
