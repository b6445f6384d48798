package xmrun.executor;

import xmrun.model.Experiment;
import xmrun.stage.CodeTree;
import xmrun.stage.Progress;
import xmrun.stage.Stager;

import java.util.Optional;

/** Where an experiment's work units start: its code directory here, or a content-addressed copy on a remote cluster. */
public final class Staging {
    private final Cluster cluster;
    private final Experiment experiment;
    private CodeTree tree;

    public Staging(Cluster cluster, Experiment experiment) {
        this.cluster = cluster;
        this.experiment = experiment;
    }

    private CodeTree tree() {
        if (tree == null) {
            tree = CodeTree.scan(experiment.codeDir(), experiment.ignore());
        }
        return tree;
    }

    public String codeDir() {
        return cluster.remote() ? Stager.codeDir(cluster.root(), tree()) : experiment.codeDir().toString();
    }

    /** Puts the code where {@link #codeDir} says, if it is not there already; empty when nothing needs moving. */
    public Optional<Stager.Result> stage(Progress progress) {
        return cluster.remote() ? Optional.of(new Stager(cluster.transport()).stage(tree(), cluster.root(), progress)) : Optional.empty();
    }
}
