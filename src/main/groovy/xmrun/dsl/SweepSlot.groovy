package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.SourceRef
import xmrun.model.Sweep

/** The one sweep a job or an experiment may declare, and the line that declared it. */
@CompileStatic
class SweepSlot {
    private final String owner
    private Sweep sweep
    private SourceRef at

    SweepSlot(String owner) {
        this.owner = owner
    }

    /** Checks this is the first sweep before {@code make} evaluates the new one. */
    void declare(Closure<Sweep> make) {
        if (at != null) {
            throw new DslError("$owner already has a sweep; put every axis in one sweep { } block")
        }
        at = DslRun.current().here()
        sweep = make.call()
    }

    /** The declared sweep, or null. */
    Sweep sweep() { sweep }

    SourceRef at() { at }
}
