package xmrun.store

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.state.WorkUnitState

import java.nio.file.Path
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
                WorkUnitState.SUBMITTED, null, null, null, null)])

        when:
        def again = ExperimentStore.open(dir.resolve('s.sqlite'))
        def unit = again.workUnits(exp.id())[0]

        then:
        unit.argv() == argv
        unit.env() == [K: 'v "q"']
        again.experiment(exp.id()).get().scriptArgs() == ['a b']

        cleanup:
        store?.close()
        again?.close()
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

    def 'the schema version is recorded and an older file is migrated on open'() {
        given:
        ExperimentStore.open(dir.resolve('s.sqlite')).close()

        expect:
        ['sqlite3', dir.resolve('s.sqlite').toString(), 'PRAGMA user_version; PRAGMA journal_mode;'].execute().text.readLines() == ['1', 'wal']
    }
}
