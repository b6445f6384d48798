package xmrun.scheduler;

/** What a scheduler can do beyond running a script; the executor and the DSL check these, never scheduler names. */
public enum Capability {
    /** One submission runs a script once per task index. */
    ARRAYS,
    /** A submission can wait for others to end (afterok, afterany, afternotok). */
    DEPENDENCIES,
    /** Several differently sized components start together as one job (Slurm heterogeneous jobs). */
    HETEROGENEOUS_JOBS,
    /** The members of a job group start together ({@code group('rl') { }}): as a heterogeneous job, or all at once on one machine. */
    GROUPS,
    /** A work unit can span several nodes, and start processes on each as job steps (srun): {@code nodes 2}, {@code launch srun()}. */
    MULTI_NODE,
    /** The scheduler can tell when a job would start without submitting it (sbatch --test-only). */
    START_ESTIMATES,
    /** A job can be requeued and keeps its id (preemption, scontrol requeue). */
    REQUEUE,
    /** Its commands can run on a login node reached over SSH (this machine's local scheduler cannot). */
    REMOTE,
    /** Work units run on the host its commands run on: a path missing there is missing for them (this machine's local scheduler). */
    SAME_HOST,
}
