package xmrun.store;

import groovy.json.JsonOutput;
import groovy.json.JsonSlurper;
import xmrun.Failure;
import xmrun.model.ImagePin;
import xmrun.state.WorkUnitState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The experiment store: one SQLite file under XMRUN_HOME. WAL mode and a busy timeout let two xmrun
 * processes (a launch and a status --watch, say) use it at once; id allocation runs in an immediate
 * transaction so two launches never get the same experiment id.
 */
public final class ExperimentStore implements AutoCloseable {
    static final int SCHEMA_VERSION = 4;

    private static final String[] SCHEMA_V1 = {
            """
            CREATE TABLE experiments (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                name        TEXT NOT NULL,
                launcher    TEXT NOT NULL,
                cluster     TEXT NOT NULL,
                work_dir    TEXT NOT NULL,
                created_at  TEXT NOT NULL,
                script_args TEXT NOT NULL
            )""",
            """
            CREATE TABLE work_units (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                id            INTEGER NOT NULL,
                job           TEXT NOT NULL,
                task_index    INTEGER NOT NULL,
                argv          TEXT NOT NULL,
                env           TEXT NOT NULL,
                script_path   TEXT,
                scheduler_id  TEXT,
                state         TEXT NOT NULL,
                exit_code     INTEGER,
                submitted_at  TEXT,
                started_at    TEXT,
                ended_at      TEXT,
                PRIMARY KEY (experiment_id, id)
            )""",
    };

    /** v2: the launcher's text as launched, so a resume evaluates what was launched, not what the file says now. */
    // and meta.store_id, a random name for this store: experiments of different stores sharing one
    // cluster workdir must not meet
    private static final String[] SCHEMA_V2 = {
            "ALTER TABLE experiments ADD COLUMN launcher_source TEXT",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(4))))",
    };

    /** v3: why a unit waits or ended as it did (the scheduler's reason). */
    private static final String[] SCHEMA_V3 = {
            "ALTER TABLE work_units ADD COLUMN reason TEXT",
    };

    /** v4: the image each container job of an experiment runs, pinned at launch. */
    private static final String[] SCHEMA_V4 = {
            """
            CREATE TABLE images (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                job           TEXT NOT NULL,
                runtime       TEXT NOT NULL,
                reference     TEXT NOT NULL,
                digest        TEXT,
                image         TEXT NOT NULL,
                note          TEXT,
                PRIMARY KEY (experiment_id, job)
            )""",
    };

    /** Rows per transaction when a launch records its work units: bounded memory in the driver, few fsyncs. */
    static final int BATCH = 10_000;

    private final Connection db;

    private ExperimentStore(Connection db) {
        this.db = db;
    }

    public static ExperimentStore open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA foreign_keys = ON");
                s.execute("PRAGMA synchronous = NORMAL"); // WAL + NORMAL is durable across crashes of xmrun itself
            }
            ExperimentStore store = new ExperimentStore(db);
            store.migrate();
            return store;
        } catch (Exception e) {
            throw new Failure("cannot open the experiment store " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            version = r.getInt(1);
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        if (version > SCHEMA_VERSION) {
            throw new Failure("the experiment store was written by a newer xmrun (schema " + version + ")");
        }
        inTransaction(() -> {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
                if (r.getInt(1) == SCHEMA_VERSION) {
                    return null; // another process migrated while we waited for the lock
                }
            }
            int from;
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
                from = r.getInt(1);
            }
            try (Statement s = db.createStatement()) {
                if (from < 1) {
                    for (String ddl : SCHEMA_V1) {
                        s.execute(ddl);
                    }
                }
                if (from < 2) {
                    for (String ddl : SCHEMA_V2) {
                        s.execute(ddl);
                    }
                }
                if (from < 3) {
                    for (String ddl : SCHEMA_V3) {
                        s.execute(ddl);
                    }
                }
                if (from < 4) {
                    for (String ddl : SCHEMA_V4) {
                        s.execute(ddl);
                    }
                }
                s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            return null;
        });
    }

    /** Reserves an id and records the experiment; its work dir is derived from the id. */
    public ExperimentRecord createExperiment(String name, String launcher, String cluster, Path experimentsDir,
                                             List<String> scriptArgs) {
        return createExperiment(name, launcher, null, cluster, experimentsDir, scriptArgs);
    }

    public ExperimentRecord createExperiment(String name, String launcher, String launcherSource, String cluster,
                                             Path experimentsDir, List<String> scriptArgs) {
        return inTransaction(() -> {
            Instant now = Instant.now();
            long id;
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO experiments (name, launcher, cluster, work_dir, created_at, script_args, launcher_source)"
                            + " VALUES (?, ?, ?, '', ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, name);
                p.setString(2, launcher);
                p.setString(3, cluster);
                p.setString(4, now.toString());
                p.setString(5, JsonOutput.toJson(scriptArgs));
                p.setString(6, launcherSource);
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            String workDir = experimentsDir.resolve(Long.toString(id)).toString();
            try (PreparedStatement p = db.prepareStatement("UPDATE experiments SET work_dir = ? WHERE id = ?")) {
                p.setString(1, workDir);
                p.setLong(2, id);
                p.executeUpdate();
            }
            return new ExperimentRecord(id, name, launcher, cluster, workDir, now, List.copyOf(scriptArgs));
        });
    }

    /** Forgets an experiment that never got submitted (rendering failed half-way). */
    public void deleteExperiment(long id) {
        inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement("DELETE FROM experiments WHERE id = ?")) {
                p.setLong(1, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    public void addWorkUnits(List<WorkUnitRecord> units) {
        for (int from = 0; from < units.size(); from += BATCH) {
            insert(units.subList(from, Math.min(units.size(), from + BATCH)));
        }
    }

    private void insert(List<WorkUnitRecord> units) {
        inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO work_units (experiment_id, id, job, task_index, argv, env, script_path, scheduler_id, state,"
                            + " exit_code, submitted_at, started_at, ended_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (WorkUnitRecord u : units) {
                    p.setLong(1, u.experimentId());
                    p.setInt(2, u.id());
                    p.setString(3, u.job());
                    p.setInt(4, u.index());
                    p.setString(5, JsonOutput.toJson(u.argv()));
                    p.setString(6, JsonOutput.toJson(u.env()));
                    p.setString(7, u.scriptPath());
                    p.setString(8, u.schedulerId());
                    p.setString(9, u.state().name());
                    setInt(p, 10, u.exitCode());
                    setInstant(p, 11, u.submittedAt());
                    setInstant(p, 12, u.startedAt());
                    setInstant(p, 13, u.endedAt());
                    p.setString(14, u.reason());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** Records the image each container job runs. */
    public void addImages(long experimentId, Collection<ImagePin> images) {
        if (images.isEmpty()) {
            return;
        }
        inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO images (experiment_id, job, runtime, reference, digest, image, note) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (ImagePin i : images) {
                    p.setLong(1, experimentId);
                    p.setString(2, i.job());
                    p.setString(3, i.runtime());
                    p.setString(4, i.reference());
                    p.setString(5, i.digest());
                    p.setString(6, i.image());
                    p.setString(7, i.note());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** The images an experiment's container jobs run, in job order of the launch. */
    public List<ImagePin> images(long experimentId) {
        return query("SELECT * FROM images WHERE experiment_id = ? ORDER BY rowid", p -> p.setLong(1, experimentId),
                r -> new ImagePin(r.getString("job"), r.getString("runtime"), r.getString("reference"), r.getString("digest"),
                        r.getString("image"), r.getString("note")));
    }

    /** Records what the scheduler said at submission: its id for each unit. */
    public void markSubmitted(long experimentId, Map<Integer, String> schedulerIds, Instant at) {
        inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE work_units SET scheduler_id = ?, submitted_at = ?, state = 'SUBMITTED' WHERE experiment_id = ? AND id = ?")) {
                for (Map.Entry<Integer, String> e : schedulerIds.entrySet()) {
                    p.setString(1, e.getValue());
                    p.setString(2, at.toString());
                    p.setLong(3, experimentId);
                    p.setInt(4, e.getKey());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** Stores the states a status call saw; only rows that changed are written. */
    public void updateStatus(Collection<WorkUnitRecord> units) {
        inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE work_units SET state = ?, exit_code = ?, started_at = ?, ended_at = ?, reason = ?"
                            + " WHERE experiment_id = ? AND id = ?")) {
                for (WorkUnitRecord u : units) {
                    p.setString(1, u.state().name());
                    setInt(p, 2, u.exitCode());
                    setInstant(p, 3, u.startedAt());
                    setInstant(p, 4, u.endedAt());
                    p.setString(5, u.reason());
                    p.setLong(6, u.experimentId());
                    p.setInt(7, u.id());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** A random name for this store, made when it was created. */
    public String storeId() {
        return query("SELECT value FROM meta WHERE key = 'store_id'", p -> {
        }, r -> r.getString(1)).get(0);
    }

    /** The launcher's text as it was launched (null for experiments recorded before it was kept). */
    public String launcherSource(long experimentId) {
        List<String> rows = query("SELECT launcher_source FROM experiments WHERE id = ?", p -> p.setLong(1, experimentId),
                r -> r.getString(1));
        return rows.isEmpty() ? null : rows.get(0); // a list, not a stream: the value itself may be null
    }

    /** Newest first. */
    public List<ExperimentRecord> experiments() {
        return query("SELECT * FROM experiments ORDER BY id DESC", p -> {
        }, ExperimentStore::experiment);
    }

    public Optional<ExperimentRecord> experiment(long id) {
        return query("SELECT * FROM experiments WHERE id = ?", p -> p.setLong(1, id), ExperimentStore::experiment)
                .stream().findFirst();
    }

    public List<WorkUnitRecord> workUnits(long experimentId) {
        return query("SELECT * FROM work_units WHERE experiment_id = ? ORDER BY id", p -> p.setLong(1, experimentId),
                ExperimentStore::workUnit);
    }

    /** Work unit counts by state, for {@code list}: one query for every experiment. */
    public Map<Long, Map<WorkUnitState, Integer>> stateCounts() {
        Map<Long, Map<WorkUnitState, Integer>> counts = new LinkedHashMap<>();
        query("SELECT experiment_id, state, COUNT(*) AS n FROM work_units GROUP BY experiment_id, state", p -> {
        }, r -> {
            counts.computeIfAbsent(r.getLong(1), k -> new LinkedHashMap<>())
                    .put(WorkUnitState.valueOf(r.getString(2)), r.getInt(3));
            return null;
        });
        return counts;
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new Failure("cannot close the experiment store: " + e.getMessage(), e);
        }
    }

    // --- plumbing ---------------------------------------------------------------------------

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }

    private interface RowMapper<T> {
        T map(ResultSet r) throws SQLException;
    }

    /** BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue instead of failing mid-way. */
    private <T> T inTransaction(SqlWork<T> work) {
        try {
            try (Statement s = db.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            try {
                T result = work.run();
                try (Statement s = db.createStatement()) {
                    s.execute("COMMIT");
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                try (Statement s = db.createStatement()) {
                    s.execute("ROLLBACK");
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new Failure("experiment store: " + e.getMessage(), e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            binder.bind(p);
            List<T> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(mapper.map(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new Failure("experiment store: " + e.getMessage(), e);
        }
    }

    private static ExperimentRecord experiment(ResultSet r) throws SQLException {
        return new ExperimentRecord(r.getLong("id"), r.getString("name"), r.getString("launcher"), r.getString("cluster"),
                r.getString("work_dir"), Instant.parse(r.getString("created_at")), stringList(r.getString("script_args")));
    }

    @SuppressWarnings("unchecked")
    private static WorkUnitRecord workUnit(ResultSet r) throws SQLException {
        Map<String, String> env = (Map<String, String>) new JsonSlurper().parseText(r.getString("env"));
        int exit = r.getInt("exit_code");
        Integer exitCode = r.wasNull() ? null : exit;
        return new WorkUnitRecord(r.getLong("experiment_id"), r.getInt("id"), r.getString("job"), r.getInt("task_index"),
                stringList(r.getString("argv")), new LinkedHashMap<>(env), r.getString("script_path"),
                r.getString("scheduler_id"), WorkUnitState.valueOf(r.getString("state")), exitCode,
                instant(r.getString("submitted_at")), instant(r.getString("started_at")), instant(r.getString("ended_at")),
                r.getString("reason"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(String json) {
        return List.copyOf((List<String>) new JsonSlurper().parseText(json));
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static void setInt(PreparedStatement p, int i, Integer v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.INTEGER);
        } else {
            p.setInt(i, v);
        }
    }

    private static void setInstant(PreparedStatement p, int i, Instant v) throws SQLException {
        p.setString(i, v == null ? null : v.toString());
    }
}
