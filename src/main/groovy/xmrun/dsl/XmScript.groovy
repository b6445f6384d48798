package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.Experiment

import java.nio.file.Path

/** The base class of every launcher script: its top-level words. */
@CompileStatic
abstract class XmScript extends Script {
    private ExperimentContext experiment

    /** {@code experiment('name') { ... }}: exactly one per launcher. */
    void experiment(String name, @DelegatesTo(value = ExperimentContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        if (experiment != null) {
            throw new DslError('a launcher describes one experiment; this is the second experiment { } block')
        }
        ExperimentContext.checkName('experiment', name)
        experiment = DslRun.current().enter(new ExperimentContext(name, DslContext.here()), body)
    }

    void experiment(Closure body) {
        throw new DslError("an experiment needs a name: experiment('mnist') { job('train') { ... } }")
    }

    void experiment(String name) {
        throw new DslError("experiment('$name') needs a block: experiment('$name') { job('train') { ... } }")
    }

    Experiment buildExperiment(Path launcher, String displayName) {
        if (experiment == null) {
            // the whole file is at fault; its first line is where the block would start
            throw new xmrun.model.ScriptError(new xmrun.model.SourceRef(displayName, 1), "no experiment('name') { ... } block")
        }
        experiment.build(launcher)
    }
}
