package xmrun.store

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.model.ImagePin
import xmrun.state.WorkUnitState

import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.Callable
import java.util.concurrent.Executors

class ExperimentStoreSpec extends Specification {
    @TempDir
    Path dir

    def 'work units round-trip with their argv and env byte for byte'() {
        given:
        def store = ExperimentStore.open(dir.resolve('s.sqlite'))
        def exp = store.createExperiment('e', '/l.xm.groovy', 'local', dir, ['a b'])
        def argv = ['prog', "it's", 'new\nline', 'ünï ✓', '$HOME']
        store.addWorkUnits([new WorkUnitRecord(exp.id(), 1, 'j', 0, argv, [K: 'v "q"'], '/s.sh', null,
                WorkUnitState.SUBMITTED, null, null, null, null, null, [lr: 0.001, tag: 'a b', n: 3], 1)])

        when:
        def again = ExperimentStore.open(dir.resolve('s.sqlite'))
        def unit = again.workUnits(exp.id())[0]

        then:
        unit.argv() == argv
        unit.env() == [K: 'v "q"']
        unit.point() == [lr: 0.001, tag: 'a b', n: 3]
        unit.point().lr instanceof BigDecimal
        again.experiment(exp.id()).get().scriptArgs() == ['a b']

        cleanup:
        store?.close()
        again?.close()
    }

    def 'a job keeps what its units share once: each unit row holds its own arguments, and the unit reads back whole'() {
        given: 'a job of three units, recorded before them'
        Path file = dir.resolve('s.sqlite')
        def store = ExperimentStore.open(file)
        def exp = store.createExperiment('e', '/l.xm.groovy', 'local', dir, [])
        def job = ['python3', 'train.py', "--data=/a path/it's \$HOME"]
        store.addJobs(exp.id(), [new ExperimentStore.JobRecord('train', [after: []], null, job, '/w/1/jobs/train.sh')])
        def units = (1..3).collect { unit(exp.id(), it, 'train', job + ["--lr=$it".toString()], '/w/1/jobs/train.sh') }
        def elsewhere = unit(exp.id(), 4, 'train', job + ['--lr=4'], '/w/1/retry/train.sh')

        when:
        store.addWorkUnits(units + elsewhere)

        then: 'the rows keep what is their own'
        sqlite(file, 'SELECT argv, script_path FROM work_units ORDER BY id;') ==
                ['["--lr=1"]|', '["--lr=2"]|', '["--lr=3"]|', '["--lr=4"]|/w/1/retry/train.sh']

        and: 'read back, each unit is as it was stored'
        ExperimentStore.open(file).withCloseable { it.workUnits(exp.id()) } == units + elsewhere
        store.jobs(exp.id())[0].argv() == job

        when: 'a unit does not start as its job does'
        store.addWorkUnits([unit(exp.id(), 5, 'train', ['python3', 'eval.py'], '/w/1/jobs/train.sh')])

        then:
        thrown(IllegalStateException)
        store.workUnitCount(exp.id()) == 4

        cleanup:
        store?.close()
    }

    def 'units stored before their job keep their whole command line (a resume of an experiment of an older xmrun)'() {
        given:
        Path file = dir.resolve('s.sqlite')
        def store = ExperimentStore.open(file)
        def exp = store.createExperiment('e', '/l.xm.groovy', 'local', dir, [])
        def units = [unit(exp.id(), 1, 'train', ['python3', 'train.py', '--lr=1'], '/w/1/jobs/train.sh')]
        store.addWorkUnits(units)

        when:
        store.addJobs(exp.id(), [new ExperimentStore.JobRecord('train', [after: []], null, ['python3', 'train.py'], '/w/1/jobs/train.sh')])

        then:
        store.jobs(exp.id())[0].argv() == null
        store.jobs(exp.id())[0].scriptPath() == null
        store.workUnits(exp.id()) == units
        sqlite(file, 'SELECT argv FROM work_units;') == ['["python3","train.py","--lr=1"]']

        cleanup:
        store?.close()
    }

    def 'a version 7 store is migrated on open: its units keep their whole command lines and read back unchanged'() {
        given: 'a store as schema 7 left it: a job, and its unit holding all of its command line'
        Path file = dir.resolve('s7.sqlite')
        def old = ExperimentStore.open(file)
        def exp = old.createExperiment('before', '/l.xm.groovy', 'local', dir, [])
        old.addJobs(exp.id(), [new ExperimentStore.JobRecord('train', [after: []], null)])
        def units = [unit(exp.id(), 1, 'train', ['python3', 'train.py', '--lr=1'], '/w/1/jobs/train.sh')]
        old.addWorkUnits(units)
        old.close()
        sqlite(file, V8_COLUMNS + ' PRAGMA user_version = 7;')

        when:
        def store = ExperimentStore.open(file)

        then:
        sqlite(file, 'PRAGMA user_version;') == ['8']
        store.workUnits(exp.id()) == units
        store.jobs(exp.id())[0].argv() == null

        cleanup:
        store?.close()
    }

    static WorkUnitRecord unit(long experiment, int id, String job, List<String> argv, String script) {
        new WorkUnitRecord(experiment, id, job, id - 1, argv, [:], script, "7_${id - 1}".toString(), WorkUnitState.SUBMITTED, null,
                Instant.parse('2026-12-01T10:00:00Z'), null, null, null, [lr: id], 1)
    }

    static List<String> sqlite(Path file, String sql) {
        ['sqlite3', file.toString(), sql].execute().text.readLines()
    }

    def 'a run of units submitted as one array is recorded as a map of their ids would be'() {
        given: 'units 1..7 of one experiment, in two stores alike'
        def stores = ['map', 'run'].collect { ExperimentStore.open(dir.resolve("${it}.sqlite")) }
        def units = { long e -> (1..7).collect { new WorkUnitRecord(e, it, 'j', it - 1, ['p'], [:], '/s.sh', null, WorkUnitState.UNSUBMITTED,
                null, null, null, null, null, [:], 1) } }
        stores.each { s -> s.addWorkUnits(units(s.createExperiment('e', '/l.xm.groovy', 'local', dir, []).id())) }
        def at = Instant.parse('2026-12-01T07:00:00Z')
        def run = new TaskRun(3, 4, '88_', 0)

        when: 'units 3..6 went out as tasks 0..3 of array 88'
        stores[0].markSubmitted(1, [3: '88_0', 4: '88_1', 5: '88_2', 6: '88_3'], at)
        stores[1].markSubmitted(1, run, at)

        then:
        run == [3: '88_0', 4: '88_1', 5: '88_2', 6: '88_3']
        stores[1].workUnits(1) == stores[0].workUnits(1)
        stores[1].workUnits(1).collect { [it.id(), it.schedulerId(), it.state().name()] } ==
                [[1, null, 'UNSUBMITTED'], [2, null, 'UNSUBMITTED'], [3, '88_0', 'SUBMITTED'], [4, '88_1', 'SUBMITTED'],
                 [5, '88_2', 'SUBMITTED'], [6, '88_3', 'SUBMITTED'], [7, null, 'UNSUBMITTED']]

        cleanup:
        stores*.close()
    }

    def 'a batch of rows goes in as one statement and reads back column for column, hostile strings and nulls included'() {
        given:
        def store = ExperimentStore.open(dir.resolve('s.sqlite'))
        def exp = store.createExperiment('e', '/l.xm.groovy', 'local', dir, [])
        def at = Instant.parse('2026-12-01T07:00:00.123Z')
        def rows = xmrun.Hostile.STRINGS.withIndex().collect { String h, int i ->
            new WorkUnitRecord(exp.id(), i + 1, 'j', i, ['prog', h, "\ud800$h\udfff".toString()], [(h): h], i % 2 ? null : "/s ${h}.sh".toString(),
                    i % 3 ? null : "9_$i".toString(), i % 2 ? WorkUnitState.FAILED : WorkUnitState.UNSUBMITTED, i % 2 ? -i : null,
                    i % 2 ? at : null, i % 2 ? at : null, i % 2 ? at.plusSeconds(i) : null, i % 2 ? h : null, [tag: h, n: i, x: 1e-5 * i], i + 1)
        }

        when:
        store.addWorkUnits(rows)

        then:
        store.workUnits(exp.id()) == rows

        cleanup:
        store?.close()
    }

    def 'two stores writing at once never hand out the same experiment id'() {
        given:
        Path file = dir.resolve('s.sqlite')
        def pool = Executors.newFixedThreadPool(2)

        when: 'two connections, as two xmrun processes would have, each create 25 experiments'
        def futures = (1..2).collect { n ->
            pool.submit({
                ExperimentStore.open(file).withCloseable { s -> (1..25).collect { s.createExperiment("e$n", 'l', 'local', dir, []).id() } }
            } as Callable<List<Long>>)
        }
        List<Long> ids = futures.collectMany { it.get() }

        then:
        ids.size() == 50
        ids.toSet().size() == 50

        cleanup:
        pool.shutdown()
    }

    def 'a version 1 store is migrated on open: it gains the launcher text and a store id, and keeps its experiments'() {
        given: 'a store as the first schema wrote it'
        Path file = dir.resolve('s.sqlite')
        ['sqlite3', file.toString(), '''
            CREATE TABLE experiments (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, launcher TEXT NOT NULL,
                cluster TEXT NOT NULL, work_dir TEXT NOT NULL, created_at TEXT NOT NULL, script_args TEXT NOT NULL);
            CREATE TABLE work_units (experiment_id INTEGER NOT NULL, id INTEGER NOT NULL, job TEXT NOT NULL,
                task_index INTEGER NOT NULL, argv TEXT NOT NULL, env TEXT NOT NULL, script_path TEXT, scheduler_id TEXT,
                state TEXT NOT NULL, exit_code INTEGER, submitted_at TEXT, started_at TEXT, ended_at TEXT,
                PRIMARY KEY (experiment_id, id));
            INSERT INTO experiments VALUES (1, 'old', '/l.xm.groovy', 'local', '/w/1', '2026-01-01T00:00:00Z', '[]');
            PRAGMA user_version = 1;'''].execute().waitFor()

        when:
        def store = ExperimentStore.open(file)

        then:
        store.experiments()*.name() == ['old']
        store.launcherSource(1) == null
        store.storeId() ==~ /[0-9a-f]{8}/
        ['sqlite3', file.toString(), 'PRAGMA user_version; PRAGMA journal_mode;'].execute().text.readLines() == ['8', 'wal']

        cleanup:
        store?.close()
    }

    def 'a version 3 store is migrated on open: it gains the images, results, attempts and jobs tables, keeps its experiments, and opens again unchanged'() {
        given: 'a store as schema 3 left it: an experiment launched before containers were recorded'
        Path file = dir.resolve('s3.sqlite')
        def old = ExperimentStore.open(file)
        def exp = old.createExperiment('before', '/l.xm.groovy', 'local', dir, [])
        old.close()
        ['sqlite3', file.toString(), V6_TABLES.collect { "DROP TABLE $it;" }.join(' ') +
                ' DROP TABLE placements; DROP TABLE estimates; DROP TABLE images; DROP TABLE attempts; DROP TABLE jobs; DROP TABLE results; DROP TABLE result_keys;' +
                ' ALTER TABLE work_units DROP COLUMN point;' +
                ' ALTER TABLE work_units DROP COLUMN attempt; ALTER TABLE work_units DROP COLUMN results_attempt; PRAGMA user_version = 3;'].execute().waitFor()

        when:
        def store = ExperimentStore.open(file)
        def later = store.createExperiment('after', '/l.xm.groovy', 'local', dir, [])
        store.addImages(later.id(), [new ImagePin('train', 'podman', 'localhost/x:1', 'sha256:' + 'a' * 64, 'b' * 64, 'podman image id'),
                                     new ImagePin('eval', 'enroot', 'ghcr.io/lab/x:1', null, 'ghcr.io/lab/x:1', "not pinned: it's \$HOME")])
        store.close()
        store = ExperimentStore.open(file)

        then:
        store.experiments()*.name() == ['after', 'before']
        store.images(exp.id()) == []
        store.images(later.id())*.job() == ['train', 'eval']
        store.images(later.id())[0] == new ImagePin('train', 'podman', 'localhost/x:1', 'sha256:' + 'a' * 64, 'b' * 64, 'podman image id')
        store.images(later.id())[1].note() == "not pinned: it's \$HOME"
        !store.images(later.id())[1].pinned()
        ['sqlite3', file.toString(), 'PRAGMA user_version;'].execute().text.trim() == '8'

        cleanup:
        store?.close()
    }

    static final String V8_COLUMNS = ' ALTER TABLE jobs DROP COLUMN argv; ALTER TABLE jobs DROP COLUMN script_path;'

    static final List<String> V6_TABLES = ['provenance', 'tree_files', 'sources', 'templates', 'artifacts', 'files', 'blobs']

    /** A launch's record: a launcher, a sweep file, a template, a jar, two files (one of bytes that are not text), a tree. */
    static Provenance.Record record(String patch = 'g' * 64) {
        byte[] data = [0, 1, 2, 255, 10] as byte[]
        Map<String, byte[]> blobs = [('l' * 64): 'experiment text'.bytes, ('s' * 64): 'lr 1, 2'.bytes, ('t' * 64): '#!/usr/bin/env bash'.bytes,
                                     ('d' * 64): data, (patch): "diff --git a/x b/x\n".bytes]
        def p = new Provenance('0.1.0', 'abc1234', 'me', 'vm', 'slurm', 'slurm 22.05.8', 'me@login:22', '/code', 'c' * 64, '/h/code/cc',
                '/w/code/cc', 'e' * 40, 'main', true, 'sub/', patch, null)
        new Provenance.Record(p, [new Provenance.Source('launcher', '/code/l.xm.groovy', 'l' * 64),
                                  new Provenance.Source('sweep', '/code/lr.sweep.groovy', 's' * 64)],
                [new Provenance.Template('slurm/job.sh.peb', 'built-in', 't' * 64)],
                [new Provenance.Artifact('grab', 'g:a:1', 'a-1.jar', 'j' * 64)],
                [new Provenance.File('jobs/train.sh', 't' * 64, true), new Provenance.File('jobs/train.units', 'd' * 64, false)],
                [new Provenance.TreeFile('train.py', '1' * 64, 12, false), new Provenance.TreeFile('run.sh', '2' * 64, 3, true)], blobs)
    }

    def 'a version 5 store is migrated on open: it gains the provenance tables, and a launch\'s record reads back as written'() {
        given: 'a store as schema 5 left it, with an experiment launched before provenance was kept'
        Path file = dir.resolve('s5.sqlite')
        def old = ExperimentStore.open(file)
        def before = old.createExperiment('before', '/l.xm.groovy', 'local', dir, [])
        old.close()
        ['sqlite3', file.toString(), V6_TABLES.collect { "DROP TABLE $it;" }.join(' ') + V8_COLUMNS + ' PRAGMA user_version = 5;'].execute().waitFor()

        when:
        def store = ExperimentStore.open(file)
        def exp = store.createExperiment('after', '/l.xm.groovy', 'local', dir, [])
        store.provenance().record(exp.id(), record())
        def kept = store.provenance()

        then:
        ['sqlite3', file.toString(), 'PRAGMA user_version;'].execute().text.trim() == '8'
        kept.of(before.id()).empty
        kept.of(exp.id()).get() == record().provenance()
        kept.sources(exp.id()) == record().sources()
        kept.templates(exp.id()) == record().templates()
        kept.artifacts(exp.id()) == record().artifacts()
        kept.files(exp.id()) == record().files()
        kept.tree('c' * 64) == record().tree().sort { it.path() }
        kept.blob('d' * 64) == [0, 1, 2, 255, 10] as byte[]

        and: 'readable with sqlite3 alone'
        ['sqlite3', file.toString(), "SELECT git_branch, CAST(data AS TEXT) FROM provenance JOIN blobs ON sha256 = git_diff_sha256"
                + " WHERE experiment_id = ${exp.id()}"].execute().text == 'main|diff --git a/x b/x\n\n'

        cleanup:
        store?.close()
    }

    def 'a version 6 store is migrated on open: the counts of units by state come from an index, not from every row'() {
        given: 'a store as schema 6 left it'
        Path file = dir.resolve('s6.sqlite')
        def old = ExperimentStore.open(file)
        def exp = old.createExperiment('before', '/l.xm.groovy', 'local', dir, [])
        old.close()
        ['sqlite3', file.toString(), 'DROP INDEX work_units_states;' + V8_COLUMNS + ' PRAGMA user_version = 6;'].execute().waitFor()
        def plan = { ['sqlite3', file.toString(), 'EXPLAIN QUERY PLAN SELECT experiment_id, state, COUNT(*) FROM work_units GROUP BY experiment_id, state;'].execute().text }
        assert !plan().contains('COVERING INDEX')

        when:
        def store = ExperimentStore.open(file)
        store.close()

        then:
        ['sqlite3', file.toString(), 'PRAGMA user_version;'].execute().text.trim() == '8'
        plan().contains('USING COVERING INDEX work_units_states')
        ExperimentStore.open(file).withCloseable { it.experiments()*.id() } == [exp.id()]
    }

    def 'texts, files and trees are kept once however many experiments name them, and forgotten with the last'() {
        given:
        def store = ExperimentStore.open(dir.resolve('s.sqlite'))
        def a = store.createExperiment('a', '/l.xm.groovy', 'local', dir, [])
        def b = store.createExperiment('b', '/l.xm.groovy', 'local', dir, [])
        store.provenance().record(a.id(), record())
        store.provenance().record(b.id(), record('h' * 64))
        def count = { String table -> ['sqlite3', dir.resolve('s.sqlite').toString(), "SELECT COUNT(*) FROM $table"].execute().text.trim() as int }

        expect:
        count('blobs') == 6
        count('tree_files') == 2

        when:
        store.deleteExperiment(a.id())

        then: "a's patch is gone; what b names stays"
        count('blobs') == 5
        count('tree_files') == 2
        store.provenance().blob('d' * 64) == [0, 1, 2, 255, 10] as byte[]

        when:
        store.deleteExperiment(b.id())

        then:
        count('blobs') == 0
        count('tree_files') == 0

        cleanup:
        store?.close()
    }

    def 'a version 4 store is migrated on open: its experiments stay on their one cluster, and a new one records where its jobs went and why'() {
        given: 'a store as schema 4 left it, with an experiment and its jobs'
        Path file = dir.resolve('s4.sqlite')
        def old = ExperimentStore.open(file)
        def before = old.createExperiment('before', '/l.xm.groovy', 'slurm', dir, [])
        old.addJobs(before.id(), [new ExperimentStore.JobRecord('train', [after: []], null)])
        old.close()
        ['sqlite3', file.toString(), V6_TABLES.collect { "DROP TABLE $it;" }.join(' ') +
                ' DROP TABLE placements; DROP TABLE estimates; ALTER TABLE jobs DROP COLUMN cluster;' + V8_COLUMNS +
                ' PRAGMA user_version = 4;'].execute().waitFor()

        when:
        def store = ExperimentStore.open(file)
        def spread = store.createExperiment('spread', '/l.xm.groovy', 'a,b', dir, [])
        store.addJobs(spread.id(), [new ExperimentStore.JobRecord('prep', [after: []], null),
                                    new ExperimentStore.JobRecord('train', [after: []], null),
                                    new ExperimentStore.JobRecord('eval', [after: [[job: 'train', when: 'SUCCESS']]], null)])
        store.place(spread.id(), [prep: 'a', train: 'b', eval: 'b'], [a: '/here/2', b: '/there/x/2'])
        def start = Instant.parse('2026-12-01T10:00:00Z')
        store.addEstimates(spread.id(), [
                new ExperimentStore.EstimateRecord('prep', 'a', 0, start, 0L, null, true),
                new ExperimentStore.EstimateRecord('prep', 'b', 1, null, null, null, false),
                new ExperimentStore.EstimateRecord('train', 'a', 0, null, null, 'allocation failure: Requested node configuration is not available', false),
                new ExperimentStore.EstimateRecord('train', 'b', 1, start.plusSeconds(600), 600L, null, true)])
        store.close()
        store = ExperimentStore.open(file)

        then: 'the old experiment has no placements: it is all on its one cluster'
        store.jobClusters(before.id()) == [:]
        store.placements(before.id()) == [:]
        store.estimates(before.id()) == []

        and: 'the new one says where each job went, each cluster its work dir, and each candidate what it answered'
        store.jobClusters(spread.id()) == [prep: 'a', train: 'b', eval: 'b']
        store.placements(spread.id()) == [a: '/here/2', b: '/there/x/2']
        store.estimates(spread.id())*.cluster() == ['a', 'b', 'a', 'b']
        store.estimates(spread.id())[2].refusal() == 'allocation failure: Requested node configuration is not available'
        store.estimates(spread.id())[3] == new ExperimentStore.EstimateRecord('train', 'b', 1, start.plusSeconds(600), 600L, null, true)
        store.estimates(spread.id())[1].start() == null && store.estimates(spread.id())[1].delay() == null
        ['sqlite3', file.toString(), 'PRAGMA user_version;'].execute().text.trim() == '8'

        when: 'it is forgotten'
        store.deleteExperiment(spread.id())

        then: 'so are its placements and estimates'
        store.placements(spread.id()) == [:]
        store.estimates(spread.id()) == []

        cleanup:
        store?.close()
    }

    def 'forgetting an experiment forgets its images'() {
        given:
        def store = ExperimentStore.open(dir.resolve('s.sqlite'))
        def exp = store.createExperiment('x', '/l.xm.groovy', 'local', dir, [])
        store.addImages(exp.id(), [new ImagePin('a', 'podman', 'x:1', null, 'x:1', 'n')])

        when:
        store.deleteExperiment(exp.id())

        then:
        store.images(exp.id()) == []

        cleanup:
        store?.close()
    }
}
