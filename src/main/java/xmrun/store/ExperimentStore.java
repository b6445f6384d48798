package xmrun.store;

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
import java.util.HashMap;
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
    static final int SCHEMA_VERSION = 8;

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

    /**
     * v4: results, retries and images. Each unit keeps its sweep values as data (so results can be compared by
     * axis) and its latest attempt; every attempt is kept in attempts, what each reported in results; each
     * container job's image, pinned at launch, in images.
     */
    private static final String[] SCHEMA_V4 = {
            "ALTER TABLE work_units ADD COLUMN point TEXT NOT NULL DEFAULT '{}'",
            "ALTER TABLE work_units ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE work_units ADD COLUMN results_attempt INTEGER NOT NULL DEFAULT 0",
            """
            CREATE TABLE attempts (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                work_unit_id  INTEGER NOT NULL,
                attempt       INTEGER NOT NULL,
                scheduler_id  TEXT,
                state         TEXT NOT NULL,
                exit_code     INTEGER,
                reason        TEXT,
                submitted_at  TEXT,
                started_at    TEXT,
                ended_at      TEXT,
                PRIMARY KEY (experiment_id, work_unit_id, attempt)
            )""",
            """
            CREATE TABLE jobs (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                name          TEXT NOT NULL,
                settings      TEXT NOT NULL,
                hold          TEXT,
                PRIMARY KEY (experiment_id, name)
            )""",
            // the result keys any unit reported, where first: xmrun results' columns without reading every result
            """
            CREATE TABLE result_keys (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                key           TEXT NOT NULL,
                first_unit    INTEGER NOT NULL,
                position      INTEGER NOT NULL,
                PRIMARY KEY (experiment_id, key)
            )""",
            """
            CREATE TABLE results (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                work_unit_id  INTEGER NOT NULL,
                attempt       INTEGER NOT NULL,
                data          TEXT NOT NULL,
                PRIMARY KEY (experiment_id, work_unit_id, attempt)
            )""",
            // the image each container job of an experiment runs, pinned at launch
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

    /**
     * v5: experiments spread over several clusters. Each job's cluster (null: the experiment's one); each cluster's
     * work dir for the experiment (a row per cluster that got work); and what each candidate cluster answered when
     * asked when a chain of jobs would start (its first job's row), with the one picked.
     */
    private static final String[] SCHEMA_V5 = {
            "ALTER TABLE jobs ADD COLUMN cluster TEXT",
            """
            CREATE TABLE placements (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                cluster       TEXT NOT NULL,
                work_dir      TEXT NOT NULL,
                PRIMARY KEY (experiment_id, cluster)
            )""",
            """
            CREATE TABLE estimates (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                job           TEXT NOT NULL,
                cluster       TEXT NOT NULL,
                rank          INTEGER NOT NULL,
                start_at      TEXT,
                wait_seconds  INTEGER,
                refusal       TEXT,
                chosen        INTEGER NOT NULL,
                PRIMARY KEY (experiment_id, job, cluster)
            )""",
    };

    /**
     * v7: list's counts of units by state read this index alone: without it, every unit's row (its arguments and all)
     * is read, some 120 ms for 160,000 units against 15 ms.
     */
    private static final String[] SCHEMA_V7 = {
            "CREATE INDEX IF NOT EXISTS work_units_states ON work_units (experiment_id, state)",
    };

    /**
     * v8: what a job's units have in common (their command line up to their own arguments, their script), kept once
     * in the job's row; see {@link JobShare}.
     */
    private static final String[] SCHEMA_V8 = {
            "ALTER TABLE jobs ADD COLUMN argv TEXT",
            "ALTER TABLE jobs ADD COLUMN script_path TEXT",
    };

    /**
     * v6: provenance, what ran and how to run it again (see {@link ProvenanceStore}). Texts and files are kept once by
     * their sha256 in blobs; a code tree's files once per tree in tree_files.
     */
    private static final String[] SCHEMA_V6 = {
            """
            CREATE TABLE provenance (
                experiment_id     INTEGER PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
                xmrun_version     TEXT NOT NULL,
                xmrun_commit      TEXT,
                user              TEXT NOT NULL,
                host              TEXT NOT NULL,
                scheduler         TEXT NOT NULL,
                scheduler_version TEXT,
                cluster_host      TEXT,
                code_dir          TEXT NOT NULL,
                code_tree         TEXT NOT NULL,
                code_snapshot     TEXT NOT NULL,
                code_run          TEXT NOT NULL,
                git_commit        TEXT,
                git_branch        TEXT,
                git_dirty         INTEGER,
                git_prefix        TEXT,
                git_diff_sha256   TEXT,
                relaunch_of       INTEGER
            )""",
            """
            CREATE TABLE tree_files (
                tree       TEXT NOT NULL,
                path       TEXT NOT NULL,
                sha256     TEXT NOT NULL,
                size       INTEGER NOT NULL,
                executable INTEGER NOT NULL,
                link       TEXT,
                PRIMARY KEY (tree, path)
            ) WITHOUT ROWID""",
            """
            CREATE TABLE sources (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                kind          TEXT NOT NULL,
                path          TEXT NOT NULL,
                sha256        TEXT NOT NULL,
                PRIMARY KEY (experiment_id, path)
            )""",
            """
            CREATE TABLE templates (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                name          TEXT NOT NULL,
                origin        TEXT NOT NULL,
                sha256        TEXT NOT NULL,
                PRIMARY KEY (experiment_id, name)
            )""",
            """
            CREATE TABLE artifacts (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                kind          TEXT NOT NULL,
                coordinate    TEXT NOT NULL,
                jar           TEXT,
                sha256        TEXT
            )""",
            """
            CREATE TABLE files (
                experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                path          TEXT NOT NULL,
                sha256        TEXT NOT NULL,
                executable    INTEGER NOT NULL,
                PRIMARY KEY (experiment_id, path)
            )""",
            """
            CREATE TABLE blobs (
                sha256 TEXT PRIMARY KEY,
                data   BLOB NOT NULL
            )""",
    };

    /** Rows per transaction when a launch records its work units: bounded memory in the driver, few fsyncs. */
    public static final int BATCH = 10_000;

    private final Connection db;
    private final Map<Long, Map<String, JobShare>> shares = new HashMap<>();

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
                if (from < 5) {
                    for (String ddl : SCHEMA_V5) {
                        s.execute(ddl);
                    }
                }
                if (from < 6) {
                    for (String ddl : SCHEMA_V6) {
                        s.execute(ddl);
                    }
                }
                if (from < 7) {
                    for (String ddl : SCHEMA_V7) {
                        s.execute(ddl);
                    }
                }
                if (from < 8) {
                    for (String ddl : SCHEMA_V8) {
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
                p.setString(5, JsonText.of(scriptArgs));
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

    /** The experiments' provenance: what ran, exactly, and the texts and files to run it again. */
    public ProvenanceStore provenance() {
        return new ProvenanceStore(this, db);
    }

    /** Forgets an experiment that never got submitted (rendering failed half-way). */
    public void deleteExperiment(long id) {
        shares.remove(id);
        inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement("DELETE FROM experiments WHERE id = ?")) {
                p.setLong(1, id);
                p.executeUpdate();
            }
            ProvenanceStore.forgetUnreferenced(db);
            return null;
        });
    }

    public void addWorkUnits(List<WorkUnitRecord> units) {
        for (int from = 0; from < units.size(); from += BATCH) {
            insert(units.subList(from, Math.min(units.size(), from + BATCH)), "INSERT");
        }
    }

    /**
     * Adds the rows of units the store does not have yet and leaves the others as they are (a launch cut short
     * stored the units it had submitted).
     *
     * @return how many rows were added
     */
    public int addMissingWorkUnits(List<WorkUnitRecord> units) {
        int added = 0;
        for (int from = 0; from < units.size(); from += BATCH) {
            added += insert(units.subList(from, Math.min(units.size(), from + BATCH)), "INSERT OR IGNORE");
        }
        return added;
    }

    /** How many units the store has of an experiment. */
    public int workUnitCount(long experimentId) {
        return query("SELECT COUNT(*) FROM work_units WHERE experiment_id = ?", p -> p.setLong(1, experimentId), r -> r.getInt(1)).get(0);
    }

    private int insert(List<WorkUnitRecord> units, String insert) {
        return inTransaction(() -> {
            LastTime times = new LastTime();
            try (PreparedStatement p = db.prepareStatement(insert
                    + " INTO work_units (experiment_id, id, job, task_index, argv, env, script_path, scheduler_id, state,"
                            + " exit_code, submitted_at, started_at, ended_at, reason, point, attempt)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (WorkUnitRecord u : units) {
                    JobShare job = shares(u.experimentId()).getOrDefault(u.job(), JobShare.NONE);
                    p.setLong(1, u.experimentId());
                    p.setInt(2, u.id());
                    p.setString(3, u.job());
                    p.setInt(4, u.index());
                    p.setString(5, JsonText.of(job.ownArgv(u)));
                    p.setString(6, JsonText.of(u.env()));
                    p.setString(7, job.ownScript(u.scriptPath()));
                    p.setString(8, u.schedulerId());
                    p.setString(9, u.state().name());
                    setInt(p, 10, u.exitCode());
                    p.setString(11, times.text(u.submittedAt()));
                    setInstant(p, 12, u.startedAt());
                    setInstant(p, 13, u.endedAt());
                    p.setString(14, u.reason());
                    p.setString(15, JsonText.of(u.point()));
                    p.setInt(16, u.attempt());
                    p.addBatch();
                }
                int added = 0;
                for (int n : p.executeBatch()) {
                    added += n;
                }
                return added;
            }
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
        if (schedulerIds instanceof TaskRun run) {
            inTransaction(() -> {
                try (PreparedStatement p = db.prepareStatement("UPDATE work_units SET scheduler_id = ? || (id - ?), submitted_at = ?,"
                        + " state = 'SUBMITTED' WHERE experiment_id = ? AND id BETWEEN ? AND ?")) {
                    p.setString(1, run.prefix());
                    p.setInt(2, run.unitToTask());
                    p.setString(3, at.toString());
                    p.setLong(4, experimentId);
                    p.setInt(5, run.firstUnit());
                    p.setInt(6, run.lastUnit());
                    p.executeUpdate();
                }
                return null;
            });
            return;
        }
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

    /**
     * What xmrun must remember of each job after the launch, to act on it later (retries, releasing held
     * jobs): its settings as JSON, and for a job submitted held (it waits for jobs that may be retried)
     * whether it is still held (HELD), or was RELEASED or CANCELLED; and what all its units share, kept once here
     * (see {@link JobShare}).
     *
     * @param argv       what the command line of each of its units starts with (its command and arguments), or null
     * @param scriptPath the script its units run, or null
     */
    public record JobRecord(String name, Map<String, Object> settings, String hold, List<String> argv, String scriptPath) {
        public JobRecord(String name, Map<String, Object> settings, String hold) {
            this(name, settings, hold, null, null);
        }
    }

    /**
     * Records an experiment's jobs, before their units: units stored earlier (a resume of an experiment launched by
     * an older xmrun) keep their whole command lines, so their job records none.
     */
    public void addJobs(long experimentId, List<JobRecord> jobs) {
        shares.remove(experimentId);
        inTransaction(() -> {
            List<String> stored = query("SELECT DISTINCT job FROM work_units WHERE experiment_id = ?", p -> p.setLong(1, experimentId),
                    r -> r.getString(1));
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO jobs (experiment_id, name, settings, hold, argv, script_path) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (JobRecord j : jobs) {
                    boolean share = !stored.contains(j.name());
                    p.setLong(1, experimentId);
                    p.setString(2, j.name());
                    p.setString(3, JsonText.of(j.settings()));
                    p.setString(4, j.hold());
                    p.setString(5, share && j.argv() != null ? JsonText.of(j.argv()) : null);
                    p.setString(6, share ? j.scriptPath() : null);
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    public List<JobRecord> jobs(long experimentId) {
        return query("SELECT name, settings, hold, argv, script_path FROM jobs WHERE experiment_id = ? ORDER BY rowid",
                p -> p.setLong(1, experimentId), r -> new JobRecord(r.getString(1), jsonObject(r.getString(2)), r.getString(3),
                        r.getString(4) == null ? null : stringList(r.getString(4)), r.getString(5)));
    }

    /** What the units of each of an experiment's jobs share, by job; read once per experiment and store. */
    private Map<String, JobShare> shares(long experimentId) {
        return shares.computeIfAbsent(experimentId, id -> {
            Map<String, JobShare> byJob = new HashMap<>();
            jobs(id).forEach(j -> byJob.put(j.name(), new JobShare(j.argv(), j.scriptPath())));
            return byJob;
        });
    }

    /**
     * Where each job of an experiment spread over several clusters went, and each of those clusters' work dir for it
     * (its experiments dir there, then the experiment's id).
     */
    public void place(long experimentId, Map<String, String> clusterByJob, Map<String, String> workDirByCluster) {
        inTransaction(() -> {
            try (PreparedStatement jobs = db.prepareStatement("UPDATE jobs SET cluster = ? WHERE experiment_id = ? AND name = ?");
                 PreparedStatement dirs = db.prepareStatement("INSERT INTO placements (experiment_id, cluster, work_dir) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, String> e : clusterByJob.entrySet()) {
                    jobs.setString(1, e.getValue());
                    jobs.setLong(2, experimentId);
                    jobs.setString(3, e.getKey());
                    jobs.addBatch();
                }
                for (Map.Entry<String, String> e : workDirByCluster.entrySet()) {
                    dirs.setLong(1, experimentId);
                    dirs.setString(2, e.getKey());
                    dirs.setString(3, e.getValue());
                    dirs.addBatch();
                }
                jobs.executeBatch();
                dirs.executeBatch();
            }
            return null;
        });
    }

    /** The cluster of each job that went to one of several: empty for an experiment on one cluster. */
    public Map<String, String> jobClusters(long experimentId) {
        Map<String, String> out = new LinkedHashMap<>();
        query("SELECT name, cluster FROM jobs WHERE experiment_id = ? AND cluster IS NOT NULL ORDER BY rowid", p -> p.setLong(1, experimentId),
                r -> out.put(r.getString(1), r.getString(2)));
        return out;
    }

    /** Each cluster that got work of an experiment spread over several, with its work dir there; empty for one cluster. */
    public Map<String, String> placements(long experimentId) {
        Map<String, String> out = new LinkedHashMap<>();
        query("SELECT cluster, work_dir FROM placements WHERE experiment_id = ? ORDER BY rowid", p -> p.setLong(1, experimentId),
                r -> out.put(r.getString(1), r.getString(2)));
        return out;
    }

    /**
     * One candidate cluster's answer, at launch, to when a chain of jobs would start.
     *
     * @param job     the chain's first job, whose start was asked about
     * @param rank    the candidate's place in the order the clusters were named (0 first)
     * @param start   the scheduler's estimate; null when it gave none
     * @param delay   seconds from the answer to that start (0: now); null without an estimate
     * @param refusal why the candidate was skipped (unreachable, refused the job); null when it would take it
     * @param chosen  the chain went there
     */
    public record EstimateRecord(String job, String cluster, int rank, Instant start, Long delay, String refusal, boolean chosen) {
    }

    public void addEstimates(long experimentId, List<EstimateRecord> estimates) {
        inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO estimates (experiment_id, job, cluster, rank, start_at, wait_seconds,"
                    + " refusal, chosen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (EstimateRecord e : estimates) {
                    p.setLong(1, experimentId);
                    p.setString(2, e.job());
                    p.setString(3, e.cluster());
                    p.setInt(4, e.rank());
                    setInstant(p, 5, e.start());
                    if (e.delay() == null) {
                        p.setNull(6, Types.INTEGER);
                    } else {
                        p.setLong(6, e.delay());
                    }
                    p.setString(7, e.refusal());
                    p.setInt(8, e.chosen() ? 1 : 0);
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** The answers of a launch over several clusters, chain by chain (in submit order of their first jobs), candidates in order. */
    public List<EstimateRecord> estimates(long experimentId) {
        return query("SELECT * FROM estimates WHERE experiment_id = ? ORDER BY rowid", p -> p.setLong(1, experimentId), r -> {
            long wait = r.getLong("wait_seconds");
            Long w = r.wasNull() ? null : wait;
            return new EstimateRecord(r.getString("job"), r.getString("cluster"), r.getInt("rank"), instant(r.getString("start_at")), w,
                    r.getString("refusal"), r.getInt("chosen") == 1);
        });
    }

    /** Moves a held job on, once: false when another xmrun already did. */
    public boolean resolveHold(long experimentId, String job, String to) {
        return inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement("UPDATE jobs SET hold = ? WHERE experiment_id = ? AND name = ? AND hold = 'HELD'")) {
                p.setString(1, to);
                p.setLong(2, experimentId);
                p.setString(3, job);
                return p.executeUpdate() == 1;
            }
        });
    }

    /**
     * Claims failed units for another attempt: each keeps its finished attempt in attempts and becomes
     * UNSUBMITTED with the next attempt number. Only units still FAILED at that attempt are claimed, so two
     * xmrun processes refreshing at once never run a unit twice. Returns the claimed units as they now are.
     */
    public List<WorkUnitRecord> claimRetries(long experimentId, List<WorkUnitRecord> failed) {
        List<Integer> claimed = new ArrayList<>();
        inTransaction(() -> {
            try (PreparedStatement keep = db.prepareStatement(
                    "INSERT OR REPLACE INTO attempts (experiment_id, work_unit_id, attempt, scheduler_id, state, exit_code, reason,"
                            + " submitted_at, started_at, ended_at) SELECT experiment_id, id, attempt, scheduler_id, state, exit_code, reason,"
                            + " submitted_at, started_at, ended_at FROM work_units WHERE experiment_id = ? AND id = ? AND attempt = ?"
                            + " AND state = 'FAILED'");
                 PreparedStatement next = db.prepareStatement(
                         "UPDATE work_units SET attempt = attempt + 1, state = 'UNSUBMITTED', scheduler_id = NULL, exit_code = NULL,"
                                 + " submitted_at = NULL, started_at = NULL, ended_at = NULL, reason = NULL"
                                 + " WHERE experiment_id = ? AND id = ? AND attempt = ? AND state = 'FAILED'")) {
                for (WorkUnitRecord u : failed) {
                    keep.setLong(1, experimentId);
                    keep.setInt(2, u.id());
                    keep.setInt(3, u.attempt());
                    keep.executeUpdate();
                    next.setLong(1, experimentId);
                    next.setInt(2, u.id());
                    next.setInt(3, u.attempt());
                    if (next.executeUpdate() == 1) {
                        claimed.add(u.id());
                    }
                }
            }
            return null;
        });
        List<WorkUnitRecord> out = new ArrayList<>();
        for (WorkUnitRecord u : failed) {
            if (claimed.contains(u.id())) {
                out.add(new WorkUnitRecord(u.experimentId(), u.id(), u.job(), u.index(), u.argv(), u.env(), u.scriptPath(), null,
                        WorkUnitState.UNSUBMITTED, null, null, null, null, null, u.point(), u.attempt() + 1));
            }
        }
        return out;
    }

    /** An earlier attempt of a unit, as it ended. */
    public record AttemptRecord(int workUnit, int attempt, String schedulerId, WorkUnitState state, Integer exitCode, String reason,
                                Instant startedAt, Instant endedAt) {
    }

    /** Every unit's earlier attempts (the latest is the unit itself), by unit id. */
    public Map<Integer, List<AttemptRecord>> earlierAttempts(long experimentId) {
        Map<Integer, List<AttemptRecord>> out = new LinkedHashMap<>();
        query("SELECT * FROM attempts WHERE experiment_id = ? ORDER BY work_unit_id, attempt", p -> p.setLong(1, experimentId), r -> {
            int exit = r.getInt("exit_code");
            Integer exitCode = r.wasNull() ? null : exit;
            out.computeIfAbsent(r.getInt("work_unit_id"), k -> new ArrayList<>()).add(new AttemptRecord(r.getInt("work_unit_id"),
                    r.getInt("attempt"), r.getString("scheduler_id"), WorkUnitState.valueOf(r.getString("state")), exitCode,
                    r.getString("reason"), instant(r.getString("started_at")), instant(r.getString("ended_at"))));
            return null;
        });
        return out;
    }

    /** Units whose latest attempt has ended (after it started) and whose results have not been read yet: id -> attempt. */
    public Map<Integer, Integer> resultsToCollect(long experimentId) {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        query("SELECT id, attempt FROM work_units WHERE experiment_id = ? AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
                + " AND started_at IS NOT NULL AND results_attempt < attempt", p -> p.setLong(1, experimentId), r -> {
            out.put(r.getInt(1), r.getInt(2));
            return null;
        });
        return out;
    }

    /** Stores what the attempts reported (units that reported nothing get no row) and marks them all read. */
    public void recordResults(long experimentId, Map<Integer, Integer> attempts, Map<Integer, Map<String, Object>> results) {
        inTransaction(() -> {
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT OR REPLACE INTO results (experiment_id, work_unit_id, attempt, data) VALUES (?, ?, ?, ?)");
                 PreparedStatement mark = db.prepareStatement(
                         "UPDATE work_units SET results_attempt = ? WHERE experiment_id = ? AND id = ?");
                 PreparedStatement key = db.prepareStatement(
                         "INSERT INTO result_keys (experiment_id, key, first_unit, position) VALUES (?, ?, ?, ?)"
                                 + " ON CONFLICT (experiment_id, key) DO UPDATE SET position = excluded.position, first_unit = excluded.first_unit"
                                 + " WHERE excluded.first_unit < first_unit")) {
                for (Map.Entry<Integer, Integer> e : attempts.entrySet()) {
                    Map<String, Object> data = results.get(e.getKey());
                    if (data != null && !data.isEmpty()) {
                        insert.setLong(1, experimentId);
                        insert.setInt(2, e.getKey());
                        insert.setInt(3, e.getValue());
                        insert.setString(4, JsonText.of(data));
                        insert.addBatch();
                        int position = 0;
                        for (String k : data.keySet()) {
                            key.setLong(1, experimentId);
                            key.setString(2, k);
                            key.setInt(3, e.getKey());
                            key.setInt(4, position++);
                            key.addBatch();
                        }
                    }
                    mark.setInt(1, e.getValue());
                    mark.setLong(2, experimentId);
                    mark.setInt(3, e.getKey());
                    mark.addBatch();
                }
                insert.executeBatch();
                mark.executeBatch();
                key.executeBatch();
            }
            return null;
        });
    }

    /** How many units may still change without the user: not final, not waiting for a resume. */
    public int openUnits(long experimentId) {
        return query("SELECT COUNT(*) FROM work_units WHERE experiment_id = ? AND state NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'UNSUBMITTED')",
                p -> p.setLong(1, experimentId), r -> r.getInt(1)).get(0);
    }

    /**
     * {@code xmrun results}: the sweep's axes and the result keys (first-seen order), and one row per unit of
     * JSON-text cells (WU, JOB, STATE, each axis, each key not also an axis; "" where a unit has no value).
     *
     * @param sort a column name (WU, JOB, STATE, an axis, a key) with '-' in front for descending, or null
     */
    public record ResultsView(List<String> axes, List<String> metrics, List<List<String>> rows) {
        /** A cell as people read it: a JSON string's text, anything else as written (0.001, true). */
        public static String text(String cell) {
            return FlatJson.text(cell);
        }

        public List<String> columns() {
            List<String> c = new ArrayList<>(List.of("WU", "JOB", "STATE"));
            c.addAll(axes);
            c.addAll(metrics);
            return c;
        }
    }

    public ResultsView results(long experimentId, String sort, int limit) {
        try {
            ResultsQuery q = new ResultsQuery(db, experimentId);
            List<String> axes = q.keys(false);
            List<String> metrics = new ArrayList<>(q.keys(true));
            metrics.removeAll(axes);
            List<ResultsQuery.Column> columns = new ArrayList<>();
            axes.forEach(a -> columns.add(new ResultsQuery.Column(a, false)));
            metrics.forEach(m -> columns.add(new ResultsQuery.Column(m, true)));
            ResultsView view = new ResultsView(axes, metrics, List.of());
            boolean descending = sort != null && sort.startsWith("-");
            String key = sort == null ? null : descending ? sort.substring(1) : sort;
            int at = key == null ? -1 : view.columns().indexOf(key);
            if (key != null && at < 0) {
                throw new xmrun.UserError("xmrun: no column '" + key + "' to sort by" + xmrun.model.Suggest.didYouMean(key, view.columns())
                        + " (columns: " + String.join(", ", view.columns()) + ")");
            }
            // a sweep value or a result is sorted (and cut) by SQLite; WU, JOB and STATE, rarely wanted, here
            boolean unitColumn = at >= 0 && at < 3;
            List<List<String>> rows = q.rows(columns, at >= 3 ? at - 3 : -1, descending, unitColumn ? 0 : limit);
            if (unitColumn) {
                java.util.Comparator<List<String>> byIt = at == 0 ? java.util.Comparator.comparingInt(r -> Integer.parseInt(r.get(0)))
                        : java.util.Comparator.comparing((List<String> r) -> r.get(at)).thenComparingInt(r -> Integer.parseInt(r.get(0)));
                rows = new ArrayList<>(rows);
                rows.sort(descending ? byIt.reversed() : byIt);
                rows = limit > 0 && rows.size() > limit ? rows.subList(0, limit) : rows;
            }
            return new ResultsView(axes, metrics, rows);
        } catch (SQLException e) {
            throw new Failure("experiment store: " + e.getMessage(), e);
        }
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
        Map<String, JobShare> shared = shares(experimentId);
        return query("SELECT * FROM work_units WHERE experiment_id = ? ORDER BY id", p -> p.setLong(1, experimentId),
                r -> workUnit(r, shared.getOrDefault(r.getString("job"), JobShare.NONE)));
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

    interface SqlWork<T> {
        T run() throws SQLException;
    }

    interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }

    interface RowMapper<T> {
        T map(ResultSet r) throws SQLException;
    }

    /** BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue instead of failing mid-way. */
    <T> T inTransaction(SqlWork<T> work) {
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

    <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
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
    private static WorkUnitRecord workUnit(ResultSet r, JobShare job) throws SQLException {
        Map<String, String> env = (Map<String, String>) new JsonSlurper().parseText(r.getString("env"));
        int exit = r.getInt("exit_code");
        Integer exitCode = r.wasNull() ? null : exit;
        return new WorkUnitRecord(r.getLong("experiment_id"), r.getInt("id"), r.getString("job"), r.getInt("task_index"),
                job.wholeArgv(stringList(r.getString("argv"))), new LinkedHashMap<>(env), job.script(r.getString("script_path")),
                r.getString("scheduler_id"), WorkUnitState.valueOf(r.getString("state")), exitCode,
                instant(r.getString("submitted_at")), instant(r.getString("started_at")), instant(r.getString("ended_at")),
                r.getString("reason"), jsonObject(r.getString("point")), r.getInt("attempt"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> jsonObject(String json) {
        return FlatJson.object(json);
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

    /** An instant as text, formatted once for a run of rows stamped alike (the units of one array, submitted together). */
    private static final class LastTime {
        private Instant last;
        private String text;

        String text(Instant t) {
            if (t != null && !t.equals(last)) {
                last = t;
                text = t.toString();
            }
            return t == null ? null : text;
        }
    }

    private static void setInstant(PreparedStatement p, int i, Instant v) throws SQLException {
        p.setString(i, v == null ? null : v.toString());
    }
}
