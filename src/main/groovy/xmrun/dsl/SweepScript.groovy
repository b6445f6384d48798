package xmrun.dsl

import groovy.transform.CompileStatic
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
        ((SweepScript) script).body.build()
    }
}
