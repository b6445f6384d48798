package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.config.ClusterConfig

import java.nio.file.Path

/** Evaluates a cluster config file into its clusters, by name. */
@CompileStatic
class ConfigLoader {
    private static final ScriptEvaluator EVALUATOR = new ScriptEvaluator(ConfigScript,
            ['the config': ['cluster', 'repositories'] as Set<String>], { ->
        [
                'the config (top level)': ['cluster', 'repositories'] as Set<String>,
                'cluster { }'           : new ClusterContext('x', null).keywords(),
                'ssh { }'               : new SshContext().keywords(),
                'slurm { }'             : ClusterContext.SLURM_WORDS as Set<String>,
                'sge { }'               : ClusterContext.SGE_WORDS as Set<String>,
                'container { }'         : ClusterContext.CONTAINER_WORDS as Set<String>,
                'proxy { }'             : new SshContext('proxy').keywords(),
                'repositories { }'      : new RepositoriesContext().keywords(),
                // a launcher's words, to say that a config is not a launcher
                "a launcher's experiment { }": new ExperimentContext('x', null).keywords(),
                "a launcher's job { }"       : new JobContext('x', null).keywords(),
                "a launcher's resources { }" : new ResourcesContext().keywords(),
        ] as Map<String, Set<String>>
    })

    static ClusterConfig load(Path file, String displayName) {
        EVALUATOR.evaluate(file, displayName, new Binding()) { Script script ->
            ConfigScript config = (ConfigScript) script
            new ClusterConfig(config.clusters, config.repositories)
        }
    }
}
