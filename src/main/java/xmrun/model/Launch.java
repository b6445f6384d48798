package xmrun.model;

import java.util.List;

/**
 * How a work unit's program is started inside its allocation: {@code launch ray()}, {@code launch torchrun(...)},
 * {@code launch srun()}, or directly (the default). Each is a template, {@code templates/launch/NAME.sh.peb}; the
 * program's argv reaches it unchanged ({@code "$@"}).
 */
public sealed interface Launch {
    Direct DIRECT = new Direct();

    /** The template's name under {@code templates/launch/}. */
    String template();

    /** Where the launcher chose it (null for the default). */
    SourceRef declaredAt();

    /** Words users write for it, for messages: {@code launch ray()}. */
    default String word() {
        return "launch " + template() + "()";
    }

    /** The program runs once, in the job's own process (through srun when the job says {@code srun '...'}). */
    record Direct() implements Launch {
        public String template() {
            return "direct";
        }

        public SourceRef declaredAt() {
            return null;
        }
    }

    /** {@code launch srun('--cpu-bind=cores')}: the program as a job step of every task (nodes x tasksPerNode). */
    record Srun(List<String> options, SourceRef declaredAt) implements Launch {
        public Srun {
            options = List.copyOf(options);
        }

        public String template() {
            return "srun";
        }
    }

    /**
     * {@code launch torchrun(procsPerNode: 4)}: one torchrun per node, meeting at a c10d rendezvous on the first node.
     *
     * @param procsPerNode processes per node (null: the GPUs per node, or 1)
     * @param port         the rendezvous port (null: the port rule)
     */
    record Torchrun(Integer procsPerNode, Integer port, SourceRef declaredAt) implements Launch {
        public String template() {
            return "torchrun";
        }
    }

    /**
     * {@code launch ray()}: a Ray cluster over the unit's nodes, the program run once as its driver.
     *
     * @param port      the head's GCS port (null: the port rule); the dashboard takes the next one
     * @param dashboard start Ray's dashboard (needs {@code ray[default]})
     * @param symmetric start it with {@code ray symmetric-run} on every node (Ray 2.49 or later)
     */
    record Ray(Integer port, boolean dashboard, boolean symmetric, SourceRef declaredAt) implements Launch {
        public String template() {
            return "ray";
        }
    }
}
