package xmrun.app

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.dsl.LauncherLoader
import xmrun.plan.Plan
import xmrun.state.WorkUnitState
import xmrun.store.ExperimentStore
import xmrun.store.TaskRun

import java.nio.file.Path
import java.time.Instant

class UnitRowsSpec extends Specification {
    @TempDir
    Path dir

    ExperimentStore store

    def cleanup() {
        store?.close()
    }

    Plan plan() {
        Path f = dir.resolve('l.xm.groovy')
        f.toFile().text = '''\
experiment('rows') {
    job('prep') { command 'prep.sh' }
    job('train') {
        command 'python3', 'train.py', '--data=/d a t a'
        sweep { lr 0.1, 0.01; seed 1..3 }
    }
}
'''
        new Plan(LauncherLoader.load(f, 'l.xm.groovy'))
    }

    def 'the units an array got are stored submitted, with their ids, argv, point and script, in one write'() {
        given:
        Plan plan = plan()
        store = ExperimentStore.open(dir.resolve('s.sqlite'))
        def exp = store.createExperiment('rows', '/l', 'local', dir, [])
        Instant at = Instant.parse('2026-12-01T10:00:00Z')

        when: 'units 3 to 5 (train 1 to 3) went out as tasks 0 to 2 of array 77'
        store.addWorkUnits(new UnitRows(exp, plan).submitted(new TaskRun(3, 3, '77_', 0), at))
        def rows = store.workUnits(exp.id())

        then:
        rows*.id == [3, 4, 5]
        rows*.schedulerId == ['77_0', '77_1', '77_2']
        rows.every { it.state == WorkUnitState.SUBMITTED && it.submittedAt == at && it.job == 'train' }
        rows*.index == [1, 2, 3]
        rows[0].argv == ['python3', 'train.py', '--data=/d a t a', '--lr=0.1', '--seed=2']
        rows[0].point == [lr: 0.1, seed: 2]
        rows[0].scriptPath == Path.of(exp.workDir()).resolve('jobs/train.sh').toString()
        rows*.argv == (3..5).collect { plan.workUnit(plan.jobOf(it), it - 2).argv() }
    }

    def 'the units a cut-short launch did not store are added #state, and the stored ones are left as they are'() {
        given: 'units 2 and 3 stored submitted, the other five not stored'
        Plan plan = plan()
        store = ExperimentStore.open(dir.resolve('s.sqlite'))
        def exp = store.createExperiment('rows', '/l', 'local', dir, [])
        def rows = new UnitRows(exp, plan)
        store.addWorkUnits(rows.submitted(new TaskRun(2, 2, '9_', 0), Instant.now()))

        when:
        int added = rows.storeMissing(store, state, reason)
        int again = rows.storeMissing(store, state, reason)
        def stored = store.workUnits(exp.id())

        then:
        added == 5
        again == 0
        stored*.id == (1..7).toList()
        stored.findAll { it.id in [2, 3] }.every { it.state == WorkUnitState.SUBMITTED && it.schedulerId }
        stored.findAll { !(it.id in [2, 3]) }.every { it.state == state && it.schedulerId == null && it.reason == reason }
        stored*.argv == plan.allWorkUnits()*.argv()

        where:
        state                     | reason
        WorkUnitState.UNSUBMITTED | null
        WorkUnitState.CANCELLED   | 'cancelled before it was submitted'
    }
}
