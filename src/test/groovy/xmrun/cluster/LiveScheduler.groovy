package xmrun.cluster

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.app.LaunchService
import xmrun.app.StatusService
import xmrun.app.XmrunHome
import xmrun.executor.Cluster
import xmrun.scheduler.Scheduler
import xmrun.store.ExperimentRecord
import xmrun.store.ExperimentStore
import xmrun.store.WorkUnitRecord

import java.nio.file.Files
import java.nio.file.Path

/**
 * Launching on a live scheduler from a spec: in-process, through a transport that counts the scheduler's
 * calls, with a store and home of the spec's own. Features shared by every scheduler are in LiveSchedulerSpec.
 */
abstract class LiveScheduler extends Specification {
    @TempDir
    Path dir

    @Shared
    CountingTransport transport = new CountingTransport()

    XmrunHome home
    ExperimentStore store

    abstract Scheduler newScheduler()

    abstract String clusterName()

    def setup() {
        home = new XmrunHome(dir.resolve('home'), dir.resolve('config'))
        store = ExperimentStore.open(home.storeFile())
        transport.reset()
        transport.override = { List<String> argv -> null }
    }

    def cleanup() {
        store.close()
    }

    Cluster cluster() {
        new Cluster(clusterName(), newScheduler(), transport, null)
    }

    ExperimentRecord launch(String text) {
        Path file = dir.resolve('launcher.xm.groovy')
        file.toFile().text = text
        def service = new LaunchService(home, { cluster() })
        service.launch(service.prepare(file, 'launcher.xm.groovy', [], clusterName()), []).experiment()
    }

    StatusService status() {
        new StatusService(store, { cluster() })
    }

    List<WorkUnitRecord> waitForFinal(ExperimentRecord exp, int seconds = 90) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (true) {
            List<WorkUnitRecord> units = status().refresh(exp)
            if (units.every { it.state().isFinal() }) {
                return units
            }
            assert System.currentTimeMillis() < deadline: "not final after ${seconds}s: ${units*.state()}"
            sleep(300)
        }
    }

    void waitUntilRunning(ExperimentRecord exp, int seconds = 60) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (!status().refresh(exp).any { it.state().name() == 'RUNNING' }) {
            assert System.currentTimeMillis() < deadline
            sleep(200)
        }
    }

    byte[] stdoutOf(ExperimentRecord exp, int unit) {
        Files.readAllBytes(Path.of(exp.workDir(), 'wu', "$unit", 'stdout'))
    }

}
