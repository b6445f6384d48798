package xmrun.faults

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.cluster.LiveCluster

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** Grid Engine's qmaster stopped and started under a watch; it is shared, so it is down briefly and always started again. */
class SgeFaultSpec extends Specification {
    @TempDir
    Path dir

    /** A job name of this run alone: qacct keeps those of earlier runs (same store id, experiment 1). */
    String tag = Long.toString(System.currentTimeMillis() % 100_000_000L, 36)

    def setupSpec() {
        LiveCluster.require('Grid Engine', ['qstat', '-f'])
    }

    XmrunProcess xmrun() {
        new XmrunProcess(dir.resolve('home'))
    }

    List<Map> units() {
        def r = xmrun().run('status', '1', '--json')
        assert r.exitCode == 0: r
        (new JsonSlurper().parseText(r.out) as Map).workUnits as List<Map>
    }

    def 'qmaster stopped and started during --wait: the wait says so, says when it answers again, and exits 0 when the units succeed'() {
        given: 'a queue without running jobs, and units that run through the outage'
        Daemons.awaitQuiet(['qstat', '-u', '*', '-s', 'r'])
        Path f = dir.resolve('restart.xm.groovy')
        f.toFile().text = """
            experiment('restart') {
                cluster 'sge'
                job('through$tag') { command 'bash', '-c', 'sleep 40', 'through'; sweep { i 1..2 } }
            }"""
        Process p = xmrun().start(['launch', f.toString(), '--wait'], Files.createDirectories(dir.resolve('out')))
        long deadline = System.currentTimeMillis() + 90_000
        while (!Files.exists(dir.resolve('home/store.sqlite')) || !units().any { it.state == 'RUNNING' }) {
            assert p.alive && System.currentTimeMillis() < deadline: dir.resolve('out/stderr').toFile().text
            sleep(500)
        }
        sleep(3000) // the wait has polled with qmaster up

        when: 'qmaster is asked to stop (it takes some seconds to go), stays down a few seconds, and is started again'
        long asked = System.currentTimeMillis()
        Daemons.stopQmaster()
        long stopped = System.currentTimeMillis()
        sleep(4000)
        Daemons.startSge()
        long back = System.currentTimeMillis()
        boolean ended = p.waitFor(240, TimeUnit.SECONDS)
        String err = dir.resolve('out/stderr').toFile().text
        String out = dir.resolve('out/stdout').toFile().text
        println "xmrun said:\n$err"

        then: 'one line when the trouble started, one when it ended, and success'
        ended
        p.exitValue() == 0
        err.readLines().count { it.startsWith("xmrun: Grid Engine's qmaster is not answering: ") && it.endsWith('; trying again for up to 5 min') } == 1
        err.readLines().count { it ==~ /xmrun: the scheduler answers again after \d+ s/ } == 1
        err.readLines().size() == 2
        out.contains('2 succeeded')
        back - stopped <= 20_000

        and: 'the store is exact: each unit succeeded at its first attempt, and Grid Engine ran each once'
        units()*.state == ['SUCCEEDED'] * 2
        units()*.attempt == [1] * 2
        qacctTasks("xm1-through$tag").toSorted() == units()*.schedulerId.toSorted()

        cleanup:
        if (Daemons.alive(Daemons.QMASTER_PID, 'sge_qmaster') == null) {
            Daemons.startSge()
        }
        p?.destroyForcibly()
        println "qmaster: asked to stop at 0 s, gone at ${(stopped - asked) / 1000} s, answering again at ${(back - asked) / 1000} s"
    }

    /** JOB.TASK of every record qacct has under this job name. */
    static List<String> qacctTasks(String name) {
        String out = Daemons.run(['qacct', '-j', name])
        List<String> tasks = []
        String job = null
        out.readLines().each { String line ->
            def kv = line.trim().split(/\s+/, 2)
            if (kv[0] == 'jobnumber') {
                job = kv[1]
            } else if (kv[0] == 'taskid') {
                tasks << "$job.${kv[1]}".toString()
            }
        }
        tasks
    }
}
