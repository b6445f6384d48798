package xmrun.state;

/**
 * xmrun's own work unit states; every scheduler state maps onto one of these in the scheduler's
 * adapter. {@link #SUBMITTED} is what the store records before any status call has looked.
 */
public enum WorkUnitState {
    SUBMITTED, PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, UNKNOWN;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
