package xmrun.model;

import java.time.Duration;

/**
 * What one work unit asks the scheduler for; null means "the cluster's default".
 *
 * @param cpus         CPUs of each task
 * @param memoryMib    memory of each node the unit runs on (of the unit, on one node)
 * @param gpus         GPUs of each node the unit runs on (of the unit, on one node)
 * @param nodes        how many nodes (null: one)
 * @param tasksPerNode how many tasks on each node (null: one); {@code launch srun()} starts one process per task
 */
public record Resources(Integer cpus, Long memoryMib, Integer gpus, Duration time, Integer nodes, Integer tasksPerNode) {
    public static final Resources DEFAULT = new Resources(null, null, null, null);

    public Resources(Integer cpus, Long memoryMib, Integer gpus, Duration time) {
        this(cpus, memoryMib, gpus, time, null, null);
    }

    public int nodeCount() {
        return nodes == null ? 1 : nodes;
    }

    public int taskCountPerNode() {
        return tasksPerNode == null ? 1 : tasksPerNode;
    }

    /** Whether the unit spans more than one node (then memory and GPUs are asked for per node). */
    public boolean multiNode() {
        return nodeCount() > 1;
    }

    /** Whether the launcher said how the unit is laid out over nodes and tasks at all. */
    public boolean placed() {
        return nodes != null || tasksPerNode != null;
    }
}
