package xmrun.faults

import xmrun.app.LogFollower
import xmrun.app.Patience
import xmrun.app.Watcher
import xmrun.cluster.CountingTransport
import xmrun.cluster.LiveScheduler
import xmrun.executor.Cluster
import xmrun.scheduler.Scheduler
import xmrun.scheduler.SchedulerRegistry
import xmrun.transport.ConnectionLost
import xmrun.transport.ExecResult
import xmrun.transport.Transport

import java.time.Duration

/**
 * A status refresh is repeated when it fails (Patience); one that also resubmits failed units must not send them
 * twice. On this machine's own scheduler, with the connection made to drop where it hurts most: just before a retry
 * goes out.
 */
class RefreshFaultSpec extends LiveScheduler {
    Scheduler newScheduler() { SchedulerRegistry.create('local', SchedulerRegistry.Environment.of(home.dir())) }

    String clusterName() { 'local' }

    /** Reads of output that fail, as a dropped SSH connection fails them: how many are left to fail. */
    int failingReads = 0

    Cluster cluster() {
        Transport t = new Transport() {
            ExecResult run(List<String> argv) { transport.run(argv) }

            void write(List<Transport.FileContent> files) { transport.write(files) }

            byte[] read(String path, long offset) {
                if (offset > 0 && failingReads > 0) {
                    failingReads--
                    throw new ConnectionLost("connection to u@h:22 lost while reading $path (Broken pipe)", null)
                }
                transport.read(path, offset)
            }

            String home() { transport.home() }
        }
        new Cluster(clusterName(), newScheduler(), t, null)
    }

    def 'a watch whose refresh fails just before a retry goes out waits, and the retry goes out once'() {
        given: 'a unit that fails its first attempt and succeeds its second'
        def exp = launch("""
            experiment('flaky') {
                job('flaky') { command 'bash', '-c', '[ "\$XM_ATTEMPT" = 2 ]', 'flaky'; retry 1 }
            }""")
        transport.reset()
        int drops = 0
        transport.override = { List<String> argv ->
            // the retry round asks for the scheduler's limits first: the connection drops right there, twice
            if (CountingTransport.programOf(argv) == 'xmrun-local-limits' && drops < 2) {
                drops++
                throw new ConnectionLost('connection to u@h:22 lost while running sh; it may have run', null)
            }
            null
        }
        List<String> said = []
        def patience = new Patience(Duration.ofMinutes(1), { said << it }, Patience.Clock.SYSTEM)

        when:
        def units = new Watcher(status(), patience).pollUntilFinal(exp, null)

        then: 'the unit succeeded at its second attempt, submitted once'
        units*.state()*.name() == ['SUCCEEDED']
        units[0].attempt() == 2
        drops == 2
        transport.count('xmrun-local-submit') == 1
        store.earlierAttempts(exp.id())[1]*.attempt() == [1]

        and: 'the drop was told when it began and when it ended'
        said.size() == 2
        said[0] == 'xmrun: connection to u@h:22 lost while running sh; it may have run; trying again for up to 1 min'
        said[1] ==~ /xmrun: connected again after \d+ s/
    }

    def 'logs -f over a connection that drops in the middle of the output prints every byte once'() {
        given:
        def exp = launch("""
            experiment('talk') {
                job('talk') { command 'bash', '-c', 'for i in 1 2 3 4 5 6; do echo line\$i; sleep 0.4; done', 'talk' }
            }""")
        List<String> said = []
        def patience = new Patience(Duration.ofMinutes(1), { said << it }, Patience.Clock.SYSTEM)
        def out = new ByteArrayOutputStream()
        failingReads = 2

        when:
        new LogFollower(status(), patience).follow(exp, status().unit(exp, 1), LogFollower.Which.LATEST,
                new LogFollower.Sinks({ byte[] b -> out.write(b) }, { byte[] b -> }))

        then:
        out.toString() == (1..6).collect { "line$it\n" }.join()
        failingReads == 0
        said.size() == 2
        said[1] ==~ /xmrun: connected again after \d+ s/
    }
}
