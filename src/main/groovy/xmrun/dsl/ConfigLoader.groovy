package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.config.ClusterSpec

import java.nio.file.Path

/** Evaluates a cluster config file into its clusters, by name. */
@CompileStatic
class ConfigLoader {
    private static final ScriptEvaluator EVALUATOR = new ScriptEvaluator(ConfigScript,
            ['the config': ['cluster'] as Set<String>], { ->
        [
                'the config (top level)': ['cluster'] as Set<String>,
                'cluster { }'           : new ClusterContext('x', null).keywords(),
                'ssh { }'               : new SshContext().keywords(),
        ] as Map<String, Set<String>>
    })

    static Map<String, ClusterSpec> load(Path file, String displayName) {
        EVALUATOR.evaluate(file, displayName, new Binding()) { Script script -> ((ConfigScript) script).clusters }
    }
}
