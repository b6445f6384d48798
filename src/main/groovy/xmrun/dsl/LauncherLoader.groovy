package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.Experiment

import java.nio.file.Path

/** Evaluates a launcher script into a validated {@link Experiment}. */
@CompileStatic
class LauncherLoader {
    private static final ScriptEvaluator EVALUATOR = new ScriptEvaluator(XmScript,
            ['the launcher': ['experiment'] as Set<String>], { -> blocks() })

    /** Which block each word belongs to, to explain a word written in the wrong one. */
    static Map<String, Set<String>> blocks() {
        [
                'the launcher (top level)': ['experiment'] as Set<String>,
                'experiment { }'          : new ExperimentContext('x', null).keywords(),
                'group { }'               : new GroupContext('x', null).keywords(),
                'job { }'                 : new JobContext('x', null).keywords(),
                'resources { }'           : new ResourcesContext().keywords(),
                'sweep { }'               : new SweepContext().keywords(),
                'container { }'           : new ContainerContext(null).keywords(),
        ] as Map<String, Set<String>>
    }

    /** @param displayName the path as the user typed it, used in messages */
    static Experiment load(Path launcher, String displayName, List<String> scriptArgs = []) {
        EVALUATOR.evaluate(launcher, displayName, new Binding(args: scriptArgs as String[])) { Script script ->
            ((XmScript) script).buildExperiment(launcher.toAbsolutePath().normalize(), displayName)
        }
    }

    /** The launcher's text; a missing file is a one-line error. */
    static String read(Path launcher, String displayName) {
        ScriptEvaluator.read(launcher, displayName)
    }

    /** A launcher's text as it was when launched, evaluated as if it were still at {@code launcher}. */
    static Experiment load(Path launcher, String source, String displayName, List<String> scriptArgs) {
        EVALUATOR.evaluate(launcher, source, displayName, new Binding(args: scriptArgs as String[])) { Script script ->
            ((XmScript) script).buildExperiment(launcher.toAbsolutePath().normalize(), displayName)
        }
    }
}
