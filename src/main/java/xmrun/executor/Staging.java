package xmrun.executor;

import xmrun.model.Experiment;
import xmrun.stage.CodeTree;
import xmrun.stage.Progress;
import xmrun.stage.Snapshot;
import xmrun.stage.Stager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where an experiment's work units start: a content-addressed snapshot of its code, never the live directory. Every
 * launch freezes the code on this machine ({@link Snapshot}: under XMRUN_HOME, or under the workdir of a cluster
 * reached without SSH, where its nodes look); a cluster reached over SSH gets a copy made from it ({@link Stager}).
 */
public final class Staging {
    private final Cluster cluster;
    private final Experiment experiment;
    private final Path home;
    private CodeTree tree;

    /** @param home XMRUN_HOME: the default place of snapshots, and never part of one */
    public Staging(Cluster cluster, Experiment experiment, Path home) {
        this(cluster, experiment, home, null);
    }

    /** @param tree the code as a snapshot taken earlier lists it (a relaunch), or null to scan the code directory */
    public Staging(Cluster cluster, Experiment experiment, Path home, CodeTree tree) {
        this.cluster = cluster;
        this.experiment = experiment;
        this.home = home;
        this.tree = tree;
    }

    /** The code as content: every file's path, hash and mode. */
    public CodeTree tree() {
        if (tree == null) {
            List<Path> excluded = new ArrayList<>(List.of(home));
            excluded.add(snapshotRoot());
            tree = CodeTree.scan(experiment.codeDir(), experiment.ignore(), excluded);
        }
        return tree;
    }

    /** Where this machine keeps snapshots: the workdir of a cluster whose nodes see this machine's files, else XMRUN_HOME. */
    private Path snapshotRoot() {
        return !cluster.remote() && cluster.root() != null ? Path.of(cluster.root()) : home;
    }

    /** The snapshot on this machine. */
    public Path snapshotDir() {
        return Snapshot.codeDir(snapshotRoot(), tree());
    }

    /** Where work units start: the snapshot, or its copy on a cluster reached over SSH. */
    public String codeDir() {
        return cluster.remote() ? Stager.codeDir(cluster.root(), tree()) : snapshotDir().toString();
    }

    /**
     * The code directory of scripts rendered without launching ({@code xmrun render}, a dry run): nothing is frozen
     * then, so here it is the code directory itself; on a remote cluster, where a launch would stage it.
     */
    public String renderedCodeDir() {
        return cluster.remote() ? codeDir() : experiment.codeDir().toString();
    }

    /**
     * Where relative mounts and image files are found: data is not code, so on this machine they are read where they
     * are (an ignored data directory is in no snapshot); on a remote cluster, in the staged copy.
     */
    public String hostBase() {
        return cluster.remote() ? codeDir() : experiment.codeDir().toString();
    }

    /** Freezes the code here, and copies it to a remote cluster; the upload's figures when there was one. */
    public Optional<Stager.Result> stage(Progress progress) {
        Snapshot.Result snapshot = Snapshot.take(tree(), snapshotRoot());
        if (!cluster.remote()) {
            return Optional.empty();
        }
        // uploaded from the snapshot: the bytes that were hashed, whatever happens to the live files meanwhile
        CodeTree frozen = new CodeTree(snapshot.codeDir(), tree().files(), tree().hash());
        return Optional.of(new Stager(cluster.transport()).stage(frozen, cluster.root(), progress));
    }
}
