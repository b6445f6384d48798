package xmrun.faults

import groovy.json.JsonSlurper
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.cluster.LiveCluster
import xmrun.executor.Submitter
import xmrun.store.ExperimentStore

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * Faults against the live Slurm of the test cluster: its controller stopped under a watch, xmrun killed in the
 * middle of a launch, a refusal in the middle of a launch. Each ends with the store exact and each unit submitted
 * once. The controller is shared: it is down for at most about 20 s, and always started again.
 */
class SlurmFaultSpec extends Specification {
    @TempDir
    Path dir

    /** Job names of this run alone: Slurm keeps those of earlier runs (same store id, experiment 1) for a while. */
    String tag = Long.toString(System.currentTimeMillis() % 100_000_000L, 36)

    def setupSpec() {
        LiveCluster.require('Slurm', ['sinfo', '--noheader'])
    }

    XmrunProcess xmrun(Map<String, String> env = [:]) {
        new XmrunProcess(dir.resolve('home'), env)
    }

    Path launcher(String text) {
        Path f = dir.resolve('faults.xm.groovy')
        f.toFile().text = text
        f
    }

    List<Map> units(String exp = '1') {
        def r = xmrun().run('status', exp, '--json')
        assert r.exitCode == 0: r
        (new JsonSlurper().parseText(r.out) as Map).workUnits as List<Map>
    }

    /** A directory with an sbatch that runs {@code before} (shell text), then the real one. */
    Path sbatchWrapper(String before) {
        Path bin = Files.createDirectories(dir.resolve('bin'))
        String real = Daemons.run(['sh', '-c', 'command -v sbatch']).trim()
        Path w = bin.resolve('sbatch')
        // the launch also asks `sbatch --version` (recorded with the experiment): that call is not a submission
        w.toFile().text = "#!/bin/sh\nif [ \"\$1\" != --version ]; then\n$before\nfi\nexec '$real' \"\$@\"\n"
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString('rwxr-xr-x'))
        bin
    }

    static String pathWith(Path bin) {
        "$bin:${System.getenv('PATH')}"
    }

    def 'a controller down for up to 20 s during --wait: the wait says so, says when it answers again, and exits 0 when the units succeed'() {
        given: 'a quiet queue, and units that run through the outage'
        Daemons.awaitQuiet(['squeue', '--noheader', '--states=running'])
        Path f = launcher("""
            experiment('restart') {
                cluster 'slurm'
                job('through$tag') { command 'bash', '-c', 'sleep 40', 'through'; sweep { i 1..3 } }
            }""")
        Process p = xmrun().start(['launch', f.toString(), '--wait'], Files.createDirectories(dir.resolve('out')))
        long deadline = System.currentTimeMillis() + 90_000
        while (!Daemons.run(['squeue', '--noheader', "--name=xm1-through$tag", '--states=running', '--format=%i']).trim()) {
            assert p.alive && System.currentTimeMillis() < deadline: dir.resolve('out/stderr').toFile().text
            sleep(300)
        }
        sleep(3000) // the wait has polled with the controller up

        and: 'a second launcher, to be launched while the controller is down'
        Path other = dir.resolve('other.xm.groovy')
        other.toFile().text = "experiment('other') { cluster 'slurm'; job('other$tag') { command 'true' } }"

        when: 'slurmctld stops for 20 s, then is started again'
        Daemons.stopSlurmctld()
        long down = System.currentTimeMillis()
        Process launch = xmrun().start(['launch', other.toString()], Files.createDirectories(dir.resolve('launch')))
        boolean launchEnded = launch.waitFor(12, java.util.concurrent.TimeUnit.SECONDS)
        sleep(Math.max(0, 20_000 - (System.currentTimeMillis() - down)))
        Daemons.startSlurm()
        long outage = System.currentTimeMillis() - down
        boolean ended = p.waitFor(240, java.util.concurrent.TimeUnit.SECONDS)
        String err = dir.resolve('out/stderr').toFile().text
        String out = dir.resolve('out/stdout').toFile().text
        println "slurmctld answered again ${outage / 1000} s after it stopped; xmrun said:\n$err"

        then: 'one line when the trouble started, one when it ended, and success'
        ended
        p.exitValue() == 0
        err.readLines().count { it.startsWith("xmrun: Slurm's controller is not answering: ") && it.endsWith('; trying again for up to 5 min') } == 1
        err.readLines().count { it ==~ /xmrun: the scheduler answers again after \d+ s/ } == 1
        err.readLines().size() == 2
        out.contains("3 succeeded")
        outage >= 20_000

        and: 'a launch while the controller was down failed at once, naming that first, and left nothing behind'
        launchEnded
        launch.exitValue() == 1
        dir.resolve('launch/stderr').toFile().text.trim() == "xmrun: Slurm's controller is not answering: scontrol show config failed: " +
                'slurm_load_ctl_conf error: Unable to contact slurm controller (connect failure)'
        units()*.id == [1, 2, 3]
        new JsonSlurper().parseText(xmrun().run('list', '--json').out).size() == 1

        and: 'the store is exact: each unit succeeded at its first attempt, and Slurm ran each once'
        units()*.state == ['SUCCEEDED'] * 3
        units()*.attempt == [1] * 3
        Daemons.sacctTasks("xm1-through$tag", 3).toSorted() == units()*.schedulerId.toSorted()

        cleanup:
        if (Daemons.alive(Daemons.SLURMCTLD_PID, 'slurmctld') == null) {
            Daemons.startSlurm()
        }
        p?.destroyForcibly()
        launch?.destroyForcibly()
    }

    def 'xmrun killed in the middle of a 5,000-unit launch: resume adopts the array in flight, submits the rest, and Slurm has each unit once'() {
        given: 'an sbatch that takes a second (and notes its pid), so that the kill lands between arrays'
        Path pids = Files.createDirectories(dir.resolve('pids'))
        Path bin = sbatchWrapper("echo \$\$ > '$pids'/\$\$; sleep 1")
        Path f = launcher("""
            experiment('killed') {
                cluster 'slurm'
                job('killmid$tag') {
                    command 'true'
                    sweep { i 1..5000 }
                    maxArraySize 1000
                    option 'begin', 'now+1hour'
                }
            }""")
        Process p = xmrun([PATH: pathWith(bin)]).start(['launch', f.toString()], Files.createDirectories(dir.resolve('out')))

        when: 'the first arrays went out together, the first is recorded and the fifth sbatch has started: xmrun gets SIGKILL'
        assert Submitter.SUBMITS_AT_ONCE < 5
        long deadline = System.currentTimeMillis() + 300_000 // sbatch itself waits while Slurm is at its MaxJobCount
        while (pids.toFile().list().length < 5) {
            assert p.alive && System.currentTimeMillis() < deadline: dir.resolve('out/stderr').toFile().text
            sleep(20)
        }
        p.destroyForcibly() // SIGKILL
        p.waitFor()

        and: 'that sbatch goes on without it and submits the fifth array, which the store never hears of'
        pids.toFile().listFiles().each { File pid -> ProcessHandle.of(pid.name as long).ifPresent { Daemons.waitGone(it, 30) } }
        int inSlurm = arrays("xm1-killmid$tag").size()
        int before = storeSubmitted()
        def resume = xmrun([PATH: pathWith(bin)]).run('resume', '1')
        println "killed with $before units in the store and $inSlurm arrays in Slurm; resume: $resume"

        then:
        p.exitValue() == 137
        before % 1000 == 0 && before >= 1000 && before <= 4000
        inSlurm == 5
        resume.exitCode == 0
        List<Map> all = units()
        all.size() == 5000
        all.every { it.state in ['PENDING', 'SUBMITTED'] && it.schedulerId }
        all*.schedulerId.toSet().size() == 5000

        and: 'the controller has exactly the store\'s 5,000 tasks, each once'
        List<String> live = Daemons.run(['squeue', '--noheader', '--array', '--states=all', "--name=xm1-killmid$tag", '--format=%i'])
                .readLines()*.trim().findAll { it }
        live.size() == 5000
        live.toSet() == all*.schedulerId.toSet()

        and: 'so has sacct, once slurmdbd has heard of them'
        List<String> tasks = Daemons.sacctTasks("xm1-killmid$tag", 5000)
        tasks.size() == 5000
        tasks.toSet() == all*.schedulerId.toSet()

        cleanup:
        p?.destroyForcibly()
        List<String> ours = arrays("xm1-killmid$tag")
        if (ours) {
            Daemons.run(['scancel'] + ours)
        }
    }

    def 'sbatch refusing the 3rd of 5 arrays: the launch is all or nothing, exit 1 with Slurm\'s words after the first ones'() {
        given: 'a partition of this spec\'s own that stops taking jobs once the first two arrays are in, before the 3rd sbatch'
        String partition = "xmfault${ProcessHandle.current().pid()}"
        assert Daemons.run(['scontrol', 'create', "PartitionName=$partition", 'Nodes=c[1-2]', 'State=UP']).trim() == ''
        Path count = dir.resolve('count')
        // arrays go out several at once: the 3rd waits for the first two to be in Slurm, drains, and later ones wait for that
        Path bin = sbatchWrapper("""n=\$(flock '$count' sh -c 'n=\$(( \$(cat "\$1" 2>/dev/null || echo 0) + 1 )); echo \$n > "\$1"; echo \$n' sh '$count')
            if [ \$n = 3 ]; then
              while [ \$(squeue --noheader --states=all --name=xm1-refused$tag --format=%A | sort -u | wc -l) -lt 2 ]; do sleep 0.05; done
              scontrol update PartitionName=$partition State=DRAIN; touch '${dir.resolve('drained')}'
            fi
            while [ \$n -gt 3 ] && [ ! -f '${dir.resolve('drained')}' ]; do sleep 0.05; done""")
        Path f = launcher("""
            experiment('refused') {
                cluster 'slurm'
                job('refused$tag') {
                    command 'true'
                    sweep { i 1..10 }
                    maxArraySize 2
                    partition '$partition'
                    option 'begin', 'now+1hour'
                }
            }""")

        when:
        def r = xmrun([PATH: pathWith(bin)]).run('launch', f.toString())

        then: 'the partition\'s state first, then Slurm\'s words, then what became of the two arrays it took'
        r.exitCode == 1
        // one at a time, the refusal of the 3rd stops the rest; four at a time, the first four go out together and the
        // fifth only if the first of them came back accepted before the refused one (which sbatch call is refused is
        // the order they reach the wrapper in, not the arrays' order)
        (Submitter.SUBMITS_AT_ONCE == 1 ? ['3'] : ['4', '5']).contains(count.toFile().text.trim())
        r.err.trim() == "xmrun: the partition takes no jobs now: sbatch refused the job: sbatch: error: Batch job submission failed: " +
                "Required partition not available (inactive or drain) (the 2 arrays accepted before it were cancelled)"

        and: 'Slurm got two arrays, both cancelled (sacct hears of them within seconds); the store keeps nothing'
        arrays("xm1-refused$tag").size() == 2
        List<String> accepted = sacctArrays("xm1-refused$tag", 2)
        accepted.size() == 2
        accepted.every { it ==~ /\d+_\[0-1\]\|CANCELLED.*/ }
        new JsonSlurper().parseText(xmrun().run('list', '--json').out) == []
        !Files.exists(dir.resolve('home/experiments')) || Files.walk(dir.resolve('home/experiments')).noneMatch { Files.isRegularFile(it) }

        cleanup:
        Daemons.run(['scontrol', 'delete', "PartitionName=$partition"])
    }

    /** JobID|State of the arrays sacct lists under this name, once it lists {@code expected} (or after 30 s: slurmdbd hears late). */
    static List<String> sacctArrays(String name, int expected) {
        List<String> found = []
        long deadline = System.currentTimeMillis() + 30_000
        while (found.size() < expected && System.currentTimeMillis() < deadline) {
            sleep(500)
            found = Daemons.run(['sacct', '--noheader', '--parsable2', '--allocations', "--name=$name", '--starttime=now-1day',
                                 '--endtime=now+2days', '--format=JobID,State']).readLines()*.trim().findAll { it }
        }
        found
    }

    /** Array job ids squeue lists under this name. */
    static List<String> arrays(String name) {
        Daemons.run(['squeue', '--noheader', '--states=all', "--name=$name", '--format=%A']).readLines()*.trim().findAll { it }.unique()
    }

    int storeSubmitted() {
        ExperimentStore store = ExperimentStore.open(dir.resolve('home/store.sqlite'))
        try {
            store.workUnits(1).count { it.schedulerId() != null } as int
        } finally {
            store.close()
        }
    }
}
