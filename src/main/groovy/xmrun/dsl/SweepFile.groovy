package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.UserError
import xmrun.model.ScriptError
import xmrun.model.SourceRef
import xmrun.model.Suggest
import xmrun.model.Sweep

import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code file('sweeps/lr.sweep.groovy')}: a sweep kept in a file of its own, holding what a
 * {@code sweep { }} block holds. Its path is relative to the file that names it, so launchers next
 * to each other can share one. It is read when {@code sweep} takes it, in an evaluation of its own,
 * so a mistake in it is reported at its own line.
 */
@CompileStatic
class SweepFile {
    private static final ScriptEvaluator EVALUATOR = new ScriptEvaluator(SweepScript,
            ['the sweep file': new SweepContext().keywords()], { -> LauncherLoader.blocks() })

    final String path
    final SourceRef writtenAt
    private boolean used

    SweepFile(String path, SourceRef writtenAt) {
        this.path = path
        this.writtenAt = writtenAt
    }

    /** {@code file('x')} on its own line does nothing, which is never what was meant. */
    boolean isUsed() { used }

    String toString() { "file('$path')" }

    /** The sweep in the file, read relative to the file being evaluated now. */
    Sweep load() {
        used = true
        DslRun run = DslRun.current()
        Path target = run.file.parent.resolve(path).normalize()
        Sources sources = Sources.current()
        String stored = sources?.stored(target)
        if (stored == null && !Files.isRegularFile(target)) {
            throw new DslError("sweep file '$path' not found" + (Path.of(path).absolute ? '' : ' (relative to this file)') + suggestion(target))
        }
        checkNotIncluded(run, target)
        try {
            String text = stored != null ? stored : ScriptEvaluator.read(target, run.shown(path))
            sources?.record(target, text)
            EVALUATOR.evaluate(target, text, run.shown(path), new Binding()) { Script s -> SweepScript.sweepOf(s) }
        } catch (ScriptError e) {
            throw e
        } catch (UserError e) { // unreadable: the naming line is the place to say so
            throw new DslError(e.message)
        }
    }

    /** Reads a sweep file named on the command line, outside any launcher. */
    static Sweep loadAlone(Path file, String displayName) {
        EVALUATOR.evaluate(file, displayName, new Binding()) { Script s -> SweepScript.sweepOf(s) }
    }

    private String suggestion(Path target) {
        Path dir = target.parent
        if (!Files.isDirectory(dir)) {
            return ''
        }
        List<String> siblings = Files.list(dir).withCloseable { s -> s.map { Path p -> p.fileName.toString() }.toList() }
        Suggest.didYouMean(path, siblings.collect { Path.of(path).resolveSibling(it).toString() })
    }

    private void checkNotIncluded(DslRun run, Path target) {
        List<DslRun> chain = []
        for (DslRun r = run; r != null; r = r.parent) {
            chain.add(0, r)
        }
        if (chain.any { DslRun r -> r.file == target }) {
            String names = (chain.collect { DslRun r -> r.file.fileName.toString() } + [target.fileName.toString()]).join(' -> ')
            throw new DslError("sweep file '$path' would read itself again: $names")
        }
    }
}
