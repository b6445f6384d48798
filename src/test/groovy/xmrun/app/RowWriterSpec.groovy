package xmrun.app

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.state.WorkUnitState
import xmrun.store.ExperimentStore
import xmrun.store.WorkUnitRecord

import java.nio.file.Path

class RowWriterSpec extends Specification {
    @TempDir
    Path dir

    static WorkUnitRecord row(long exp, int id) {
        new WorkUnitRecord(exp, id, 'j', id - 1, ['prog', "--i=$id".toString()], [:], '/s.sh', null, WorkUnitState.UNSUBMITTED,
                null, null, null, null, null, [i: id], 1)
    }

    def 'rows handed over one by one are all in the store, in order, once it is closed'() {
        given:
        def store = ExperimentStore.open(dir.resolve('s.sqlite'))
        long exp = store.createExperiment('e', '/l.xm.groovy', 'local', dir, []).id()
        int n = 2 * ExperimentStore.BATCH + 1

        when:
        new RowWriter(store).withCloseable { rows -> (1..n).each { rows.add(row(exp, it)) } }

        then:
        store.workUnits(exp)*.id() == (1..n).toList()
        store.workUnits(exp)[n - 1] == row(exp, n)

        cleanup:
        store?.close()
    }

    def 'a batch the store refuses fails the launch, at the next batch or at the end'() {
        given: 'a unit id given twice, in the first batch'
        def store = ExperimentStore.open(dir.resolve('s.sqlite'))
        long exp = store.createExperiment('e', '/l.xm.groovy', 'local', dir, []).id()
        def rows = new RowWriter(store)

        when:
        (1..ExperimentStore.BATCH - 1).each { rows.add(row(exp, it)) }
        rows.add(row(exp, 1))
        (1..5).each { rows.add(row(exp, ExperimentStore.BATCH + it)) }
        rows.close()

        then:
        thrown(RuntimeException)

        cleanup:
        store?.close()
    }
}
