package xmrun.store;

import xmrun.Failure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provenance tables of the experiment store (schema v6): {@code provenance} (one row per experiment),
 * {@code sources}, {@code templates}, {@code artifacts}, {@code files}, the code trees' {@code tree_files}, and
 * {@code blobs}, where every text and file they name is kept once by its sha256.
 */
public final class ProvenanceStore {
    private final ExperimentStore store;
    private final Connection db;

    ProvenanceStore(ExperimentStore store, Connection db) {
        this.store = store;
        this.db = db;
    }

    /** Records a launch's provenance in one transaction. */
    public void record(long experimentId, Provenance.Record r) {
        store.inTransaction(() -> {
            insertBlobs(r.blobs());
            insertTree(r.provenance().codeTree(), r.tree());
            insertProvenance(experimentId, r.provenance());
            try (PreparedStatement p = db.prepareStatement("INSERT INTO sources (experiment_id, kind, path, sha256) VALUES (?, ?, ?, ?)")) {
                for (Provenance.Source s : r.sources()) {
                    bind(p, experimentId, s.kind(), s.path(), s.sha256());
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO templates (experiment_id, name, origin, sha256) VALUES (?, ?, ?, ?)")) {
                for (Provenance.Template t : r.templates()) {
                    bind(p, experimentId, t.name(), t.origin(), t.sha256());
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO artifacts (experiment_id, kind, coordinate, jar, sha256) VALUES (?, ?, ?, ?, ?)")) {
                for (Provenance.Artifact a : r.artifacts()) {
                    bind(p, experimentId, a.kind(), a.coordinate(), a.jar(), a.sha256());
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO files (experiment_id, path, sha256, executable) VALUES (?, ?, ?, ?)")) {
                for (Provenance.File f : r.files()) {
                    bind(p, experimentId, f.path(), f.sha256(), f.executable() ? 1 : 0);
                }
                p.executeBatch();
            }
            return null;
        });
    }

    private static void bind(PreparedStatement p, long experimentId, Object... values) throws SQLException {
        p.setLong(1, experimentId);
        for (int i = 0; i < values.length; i++) {
            p.setObject(i + 2, values[i]);
        }
        p.addBatch();
    }

    private void insertBlobs(Map<String, byte[]> blobs) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)")) {
            for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
                p.setString(1, b.getKey());
                p.setBytes(2, b.getValue());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** A tree's files once, however many experiments ran it. */
    private void insertTree(String tree, List<Provenance.TreeFile> files) throws SQLException {
        try (PreparedStatement known = db.prepareStatement("SELECT 1 FROM tree_files WHERE tree = ? LIMIT 1")) {
            known.setString(1, tree);
            try (ResultSet r = known.executeQuery()) {
                if (r.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO tree_files (tree, path, sha256, size, executable, link) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Provenance.TreeFile f : files) {
                p.setString(1, tree);
                p.setString(2, f.path());
                p.setString(3, f.sha256());
                p.setLong(4, f.size());
                p.setInt(5, f.executable() ? 1 : 0);
                p.setString(6, f.link());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private void insertProvenance(long experimentId, Provenance v) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO provenance (experiment_id, xmrun_version, xmrun_commit, user, host,"
                + " scheduler, scheduler_version, cluster_host, code_dir, code_tree, code_snapshot, code_run, git_commit, git_branch,"
                + " git_dirty, git_prefix, git_diff_sha256, relaunch_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, experimentId);
            Object[] values = {v.xmrunVersion(), v.xmrunCommit(), v.user(), v.host(), v.scheduler(), v.schedulerVersion(), v.clusterHost(),
                    v.codeDir(), v.codeTree(), v.codeSnapshot(), v.codeRun(), v.gitCommit(), v.gitBranch(),
                    v.gitDirty() == null ? null : v.gitDirty() ? 1 : 0, v.gitPrefix(), v.gitDiffSha256(), v.relaunchOf()};
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    p.setNull(i + 2, Types.NULL);
                } else {
                    p.setObject(i + 2, values[i]);
                }
            }
            p.executeUpdate();
        }
    }

    /** An experiment's provenance; empty for one launched by an xmrun that recorded none. */
    public Optional<Provenance> of(long experimentId) {
        return store.query("SELECT * FROM provenance WHERE experiment_id = ?", p -> p.setLong(1, experimentId), r -> {
            int dirty = r.getInt("git_dirty");
            Boolean gitDirty = r.wasNull() ? null : dirty != 0;
            long of = r.getLong("relaunch_of");
            Long relaunchOf = r.wasNull() ? null : of;
            return new Provenance(r.getString("xmrun_version"), r.getString("xmrun_commit"), r.getString("user"), r.getString("host"),
                    r.getString("scheduler"), r.getString("scheduler_version"), r.getString("cluster_host"), r.getString("code_dir"),
                    r.getString("code_tree"), r.getString("code_snapshot"), r.getString("code_run"), r.getString("git_commit"),
                    r.getString("git_branch"), gitDirty, r.getString("git_prefix"), r.getString("git_diff_sha256"), relaunchOf);
        }).stream().findFirst();
    }

    public List<Provenance.Source> sources(long experimentId) {
        return store.query("SELECT kind, path, sha256 FROM sources WHERE experiment_id = ? ORDER BY rowid", p -> p.setLong(1, experimentId),
                r -> new Provenance.Source(r.getString(1), r.getString(2), r.getString(3)));
    }

    public List<Provenance.Template> templates(long experimentId) {
        return store.query("SELECT name, origin, sha256 FROM templates WHERE experiment_id = ? ORDER BY rowid",
                p -> p.setLong(1, experimentId), r -> new Provenance.Template(r.getString(1), r.getString(2), r.getString(3)));
    }

    public List<Provenance.Artifact> artifacts(long experimentId) {
        return store.query("SELECT kind, coordinate, jar, sha256 FROM artifacts WHERE experiment_id = ? ORDER BY rowid",
                p -> p.setLong(1, experimentId), r -> new Provenance.Artifact(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
    }

    public List<Provenance.File> files(long experimentId) {
        return store.query("SELECT path, sha256, executable FROM files WHERE experiment_id = ? ORDER BY rowid",
                p -> p.setLong(1, experimentId), r -> new Provenance.File(r.getString(1), r.getString(2), r.getInt(3) != 0));
    }

    /** A code tree's files, by path. */
    public List<Provenance.TreeFile> tree(String tree) {
        return store.query("SELECT path, sha256, size, executable, link FROM tree_files WHERE tree = ? ORDER BY path",
                p -> p.setString(1, tree), r -> new Provenance.TreeFile(r.getString(1), r.getString(2), r.getLong(3), r.getInt(4) != 0,
                        r.getString(5)));
    }

    /** The bytes kept under a sha256. */
    public byte[] blob(String sha256) {
        List<byte[]> rows = store.query("SELECT data FROM blobs WHERE sha256 = ?", p -> p.setString(1, sha256), r -> r.getBytes(1));
        if (rows.isEmpty()) {
            throw new Failure("the experiment store has no blob " + sha256);
        }
        return rows.get(0);
    }

    /** After experiments are forgotten: the texts, files and trees no experiment names any more. */
    static void forgetUnreferenced(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM sources UNION SELECT sha256 FROM templates"
                    + " UNION SELECT sha256 FROM files UNION SELECT git_diff_sha256 FROM provenance WHERE git_diff_sha256 IS NOT NULL)");
            s.execute("DELETE FROM tree_files WHERE tree NOT IN (SELECT code_tree FROM provenance)");
        }
    }
}
