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

    Experiment buildExperiment(Path launcher, String displayName) {
        if (experiment == null) {
            throw new xmrun.model.ScriptError(new xmrun.model.SourceRef(displayName, 0), "no experiment('name') { ... } block")
        }
        experiment.build(launcher)
    }
}
