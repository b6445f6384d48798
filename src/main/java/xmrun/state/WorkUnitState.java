package xmrun.state;

/**
 * xmrun's own work unit states; every scheduler state maps onto one of these in the scheduler's
 * adapter. {@link #UNSUBMITTED}: recorded, but no scheduler has it (yet: a launch whose connection
 * dropped leaves these for {@code xmrun resume}). {@link #SUBMITTED}: accepted, not looked at since.
 */
public enum WorkUnitState {
    UNSUBMITTED, SUBMITTED, PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, UNKNOWN;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Nothing will change without the user: final, or waiting for a resume. */
    public boolean isSettled() {
        return isFinal() || this == UNSUBMITTED;
    }
}
