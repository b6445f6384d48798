package xmrun.dsl

import groovy.transform.CompileStatic

/** Thrown by a DSL word given a bad value; {@link LauncherLoader} adds the launcher's file and line. */
@CompileStatic
class DslError extends RuntimeException {
    DslError(String message) {
        super(message, null, false, true)
    }
}
