package xmrun.scheduler.slurm;

import xmrun.Failure;
import xmrun.FaultKind;
import xmrun.scheduler.Fault;
import xmrun.scheduler.Fault.Words;
import xmrun.transport.ExecResult;

import java.util.List;

/**
 * Slurm's words for the common faults (its error strings, src/common/slurm_errno.c, and those of its clients
 * and of the munge plugin), matched in what a failed command printed.
 */
final class SlurmFaults {
    static final Fault CONTROLLER = new Fault(FaultKind.SCHEDULER_DOWN, "Slurm's controller is not answering");
    static final Fault ACCOUNTING = new Fault(FaultKind.SCHEDULER_DOWN, "Slurm's accounting daemon (slurmdbd) is not answering");
    static final Fault AUTH = new Fault(FaultKind.AUTH_REFUSED, "Slurm refused our credentials");
    static final Fault PARTITION = new Fault(FaultKind.QUEUE_UNKNOWN, "Slurm does not know the partition");
    static final Fault PARTITION_CLOSED = new Fault(FaultKind.QUEUE_CLOSED, "the partition takes no jobs now");


    /** First match wins: the controller's own silence before what a client makes of it. */
    private static final List<Words> WORDS = List.of(
            new Words("Unable to contact slurm controller", CONTROLLER),
            new Words("Slurm backup controller in standby mode", CONTROLLER),
            new Words("Socket timed out on send/recv operation", CONTROLLER),
            new Words("Zero Bytes were transmitted or received", CONTROLLER),
            new Words("Problem talking to the database", ACCOUNTING),
            new Words("Unable to connect to database", ACCOUNTING),
            new Words("Munge encode failed", AUTH),
            new Words("Munge decode failed", AUTH),
            new Words("Invalid authentication credential", AUTH),
            new Words("Protocol authentication error", AUTH),
            new Words("Invalid user id", AUTH),
            new Words("Access/permission denied", AUTH),
            new Words("Invalid partition name specified", PARTITION),
            new Words("invalid partition specified", PARTITION),
            new Words("Required partition not available", PARTITION_CLOSED),
            new Words("Partition in inactive state", PARTITION_CLOSED));

    private SlurmFaults() {
    }

    static Fault of(ExecResult r) {
        return Fault.of(WORDS, r);
    }

    /** {@code what} failed: a {@link Failure} that starts with the fault's first words when Slurm's words show one. */
    static Failure failure(String what, ExecResult r) {
        return Fault.failure(of(r), what, r);
    }
}
