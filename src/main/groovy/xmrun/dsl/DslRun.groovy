package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.SourceRef

import java.nio.file.Path

/**
 * The state of one file's evaluation: which script class is the user's (to find their line in a
 * stack trace) and which DSL contexts are open (to say where a misspelt word was written). A sweep
 * file named by a launcher is evaluated in a run of its own, nested in the launcher's, so its errors
 * point into it; {@link #parent} leads back to the file that named it.
 */
@CompileStatic
class DslRun {
    private static final ThreadLocal<DslRun> CURRENT = new ThreadLocal<>()

    final String displayName
    final String scriptClassName
    final Script script
    /** The evaluated file, absolute: files it names are found relative to its directory. */
    final Path file
    /** The run that was current when this one started (the launcher of a sweep file), or null. */
    final DslRun parent
    private final Deque<DslContext> open = new ArrayDeque<>()
    private DslContext failedIn

    DslRun(String displayName, String scriptClassName, Script script, Path file) {
        this.displayName = displayName
        this.scriptClassName = scriptClassName
        this.script = script
        this.file = file.toAbsolutePath().normalize()
        this.parent = CURRENT.get()
    }

    static DslRun current() {
        DslRun run = CURRENT.get()
        if (run == null) {
            throw new IllegalStateException('no launcher is being evaluated')
        }
        run
    }

    static <T> T with(DslRun run, Closure<T> body) {
        CURRENT.set(run)
        try {
            body.call()
        } finally {
            if (run.parent == null) {
                CURRENT.remove()
            } else {
                CURRENT.set(run.parent)
            }
        }
    }

    /** The innermost block that was open when evaluation failed (the blocks are closed by then). */
    DslContext failedIn() {
        failedIn ?: open.peek()
    }

    /**
     * Runs a DSL block with {@code context} as its delegate. The owner becomes the script itself, so
     * a word of an outer block cannot leak in (a {@code job} inside a {@code job} is an error, not a
     * sibling), while the user's own variables and script methods stay visible.
     */
    def <T extends DslContext> T enter(T context, @DelegatesTo(strategy = Closure.DELEGATE_FIRST) Closure body) {
        Closure c = body.rehydrate(context, script, script)
        c.resolveStrategy = Closure.DELEGATE_FIRST
        within(context) { c.call() }
        context
    }

    /** {@code body} with {@code context} as its delegate, to be called later, maybe many times. */
    Closure bind(DslContext context, Closure body) {
        Closure c = body.rehydrate(context, script, script)
        c.resolveStrategy = Closure.DELEGATE_FIRST
        c
    }

    /** Runs {@code action} with {@code context} open, so errors in it are blamed on that block. */
    def <R> R within(DslContext context, Closure<R> action) {
        open.push(context)
        try {
            action.call()
        } catch (Throwable t) {
            failedIn = failedIn ?: context
            throw t
        } finally {
            open.pop()
        }
    }

    /**
     * A path written in this file (relative to it) as the user would type it from where they named
     * the file: 'sweeps/lr.sweep.groovy' in 'exp/a.xm.groovy' is shown as 'exp/sweeps/lr.sweep.groovy'.
     */
    String shown(String written) {
        Path w = Path.of(written)
        Path dir = Path.of(displayName).parent
        w.absolute || dir == null ? w.normalize().toString() : dir.resolve(w).normalize().toString()
    }

    /** The user's line that is executing now. */
    SourceRef here() {
        lineOf(new Throwable())
    }

    SourceRef lineOf(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.cause) {
            for (StackTraceElement e : cause.stackTrace) {
                if (e.className == scriptClassName || e.className.startsWith(scriptClassName + '$')) {
                    if (e.lineNumber > 0) {
                        return new SourceRef(displayName, e.lineNumber)
                    }
                }
            }
        }
        new SourceRef(displayName, 0)
    }
}
