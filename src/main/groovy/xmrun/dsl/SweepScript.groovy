package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.ScriptError
import xmrun.model.SourceRef
import xmrun.model.Sweep

/**
 * The base class of a sweep file: its top level is the inside of a {@code sweep { }} block, so every
 * word goes to one {@link SweepContext} (an unknown word is an axis, as in the block).
 */
@CompileStatic
abstract class SweepScript extends Script {
    private final SweepContext body = new SweepContext()

    def methodMissing(String name, Object args) {
        body.invokeMethod(name, args)
    }

    /** Not an instance method: any word the script calls could be an axis name. */
    static Sweep sweepOf(Script script) {
        SweepContext body = ((SweepScript) script).body
        if (body.isEmpty()) {
            throw new ScriptError(new SourceRef(DslRun.current().displayName, 1),
                    'the sweep file has no axes; write one per line, like lr 1e-3, 3e-4')
        }
        body.build()
    }
}
