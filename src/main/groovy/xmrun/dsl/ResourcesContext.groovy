package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.Memory
import xmrun.model.Resources
import xmrun.model.Walltime

import java.time.Duration

/**
 * {@code resources { cpus 4; memory '16G'; gpus 1; time '2h' }}, and over several nodes
 * {@code nodes 2; tasksPerNode 4}: {@code cpus} is per task; {@code memory} and {@code gpus} are per node.
 */
@CompileStatic
class ResourcesContext extends DslContext {
    private Integer cpus
    private Long memoryMib
    private Integer gpus
    private Duration time
    private Integer nodes
    private Integer tasksPerNode

    String blockName() { 'resources { }' }

    void cpus(Object n) {
        once('cpus')
        cpus = wholeNumber('cpus', n, 1)
    }

    void gpus(Object n) {
        once('gpus')
        gpus = wholeNumber('gpus', n, 0)
    }

    /** Nodes the work unit spans (one unless set). */
    void nodes(Object n) { nodes = wholeNumber('nodes', n, 1) }

    /** Tasks on each node: {@code launch srun()} starts one process per task, each with {@code cpus} CPUs. */
    void tasksPerNode(Object n) { tasksPerNode = wholeNumber('tasksPerNode', n, 1) }

    void memory(Object size) {
        once('memory')
        try {
            memoryMib = Memory.parseMib(text('memory', size))
        } catch (IllegalArgumentException e) {
            throw new DslError(e.message)
        }
    }

    void time(Object limit) {
        once('time')
        try {
            time = Walltime.parse(text('time', limit))
        } catch (IllegalArgumentException e) {
            throw new DslError(e.message)
        }
    }

    Resources build() {
        new Resources(cpus, memoryMib, gpus, time, nodes, tasksPerNode)
    }
}
