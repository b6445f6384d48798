package xmrun;

/**
 * The common ways a cluster lets a command down, so that an error can start with what the user acts on
 * (the scheduler's or the network's own words follow), and so that a watch knows which failures pass by
 * themselves: a controller restarting for an upgrade or failing over, a connection that blinked.
 */
public enum FaultKind {
    /** The scheduler's daemon (slurmctld, slurmdbd, sge_qmaster) does not answer: stopped, restarting or failing over. */
    SCHEDULER_DOWN(true),
    /** The connection to the login node dropped while a command ran or a file moved. */
    CONNECTION_LOST(true),
    /** No connection to the login node could be opened. */
    HOST_UNREACHABLE(true),
    /** The login node or the scheduler would not accept who we are. */
    AUTH_REFUSED(false),
    /** The scheduler does not know the partition or queue a job names. */
    QUEUE_UNKNOWN(false),
    /** The partition or queue exists but takes no jobs now (drained, inactive, disabled). */
    QUEUE_CLOSED(false);

    private final boolean passing;

    FaultKind(boolean passing) {
        this.passing = passing;
    }

    /** Whether waiting is likely to help: the same read-only command may well work in a while. */
    public boolean passing() {
        return passing;
    }
}
