package xmrun.cluster

import groovy.json.JsonSlurper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.XmrunProcess
import xmrun.app.Clusters
import xmrun.app.LaunchService
import xmrun.app.LogFollower
import xmrun.app.StatusService
import xmrun.app.XmrunHome
import xmrun.config.SshEndpoint
import xmrun.executor.Cluster
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.store.ExperimentRecord
import xmrun.store.ExperimentStore
import xmrun.store.WorkUnitRecord
import xmrun.transport.ExecResult
import xmrun.transport.LocalTransport
import xmrun.transport.Transport
import xmrun.transport.ssh.SshTransport

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * One launch, two live Slurm clusters: 'a' is the test cluster's first Slurm, reached on this machine; 'b' is the
 * second (xmtestb, start-slurm-b.sh), reached over the test sshd as the ssh user, its clients told where it is by the
 * cluster config's {@code environment SLURM_CONF: ...}. Each cluster's commands are counted on its own connection.
 * The first Slurm is shared with other specs: this spec never drains it; it holds its GPUs for a few seconds with a job
 * of its own (cancelled at once) when it needs it busy. The second is this spec's to drain and fill.
 */
class MultiClusterSpec extends Specification {
    @Shared
    Map<String, String> env = LiveCluster.env()
    @Shared
    String bConf
    @Shared
    String workdir = "~/xmrun-multi-${UUID.randomUUID().toString().take(8)}"

    @TempDir
    Path dir

    XmrunHome home
    Path config
    Clusters clusters
    Map<String, Recording> counted = [:]
    Map<String, Cluster> open = [:]

    /** A cluster's connection, recording each command it runs (with the cluster's environment in front). */
    static class Recording implements Transport {
        final Transport real
        final List<List<String>> calls = Collections.synchronizedList([])
        /** Answers (or throws) instead of the cluster when it returns something. */
        Closure<ExecResult> override = { List<String> argv -> null }

        Recording(Transport real) { this.real = real }

        ExecResult run(List<String> argv) {
            calls << argv
            override(argv) ?: real.run(argv)
        }

        void write(List<Transport.FileContent> files) { real.write(files) }

        byte[] read(String path, long offset) { real.read(path, offset) }

        String home() { real.home() }

        void close() { real.close() }

        int count(String program) { calls.count { CountingTransport.programOf(it) == program } }
    }

    def setupSpec() {
        LiveCluster.require('Slurm (cluster a)', ['sinfo', '--noheader'])
        bConf = env.XM_SLURM_B_CONF
        if (bConf == null) {
            throw new IllegalStateException('cluster.env has no XM_SLURM_B_CONF; start the second Slurm with: bash src/test/cluster/up.sh')
        }
        LiveCluster.require('the second Slurm (cluster b)', ['env', "SLURM_CONF=$bConf".toString(), 'sinfo', '--noheader'])
        LiveCluster.require('sshd', ['test', '-s', "${env.XM_TESTCLUSTER_DIR}/ssh/sshd.pid".toString()])
        b(['scontrol', 'update', 'nodename=b[1-2]', 'state=resume']) // a run killed half-way may have left them drained
    }

    def setup() {
        config = dir.resolve('clusters.groovy')
        config.toFile().text = """
            cluster('a') {
                scheduler 'slurm'
            }
            cluster('b') {
                scheduler 'slurm'
                ssh {
                    host '127.0.0.1'
                    port ${env.XM_SSH_PORT}
                    user '${env.XM_SSH_USER}'
                    identity '${env.XM_SSH_KEY}'
                    knownHosts '${env.XM_SSH_KNOWN_HOSTS}'
                }
                workdir '$workdir'
                environment SLURM_CONF: '$bConf'
            }"""
        home = new XmrunHome(dir.resolve('home'), dir.resolve('config'), config)
        clusters = new Clusters(home)
    }

    def cleanup() {
        open.values()*.close()
    }

    def cleanupSpec() {
        b(['scontrol', 'update', 'nodename=b[1-2]', 'state=resume'])
        def rm = new LocalTransport().run(['ssh', '-F', env.XM_SSH_CONFIG, 'xm-cluster', 'rm -rf ' + workdir])
        assert rm.ok(): rm
    }

    /** A command of cluster b's, run here as root. */
    ExecResult b(List<String> argv) {
        new LocalTransport().run(['env', "SLURM_CONF=$bConf".toString()] + argv)
    }

    /** Each cluster once per spec feature: its own connection, its commands counted. */
    Cluster cluster(String name) {
        open.computeIfAbsent(name) {
            def spec = clusters.configured(name)
            Transport real = spec.ssh() == null ? new LocalTransport()
                    : new SshTransport(SshEndpoint.resolve(spec.ssh(), Path.of(System.getProperty('user.home'))))
            counted[name] = new Recording(real)
            new Cluster(name, new SlurmScheduler(), counted[name], spec)
        }
    }

    Path launcher(String text) {
        Path code = dir.resolve('code')
        Files.createDirectories(code)
        Path f = code.resolve('launch.xm.groovy')
        f.toFile().text = text
        f
    }

    LaunchService.Launched launch(String text) {
        Path f = launcher(text)
        def service = new LaunchService(home, { String n -> cluster(n) })
        service.launch(service.prepare(f, 'launch.xm.groovy', [], null), [])
    }

    StatusService status(ExperimentStore store) {
        new StatusService(store, { String n -> cluster(n) })
    }

    /** Polls until {@code done}; long enough for the first Slurm, which other specs keep busy at times. */
    List<WorkUnitRecord> waitFor(ExperimentRecord exp, Closure<Boolean> done, int seconds = 300) {
        ExperimentStore.open(home.storeFile()).withCloseable { store ->
            long deadline = System.currentTimeMillis() + seconds * 1000L
            while (true) {
                List<WorkUnitRecord> units = status(store).refresh(exp)
                if (done(units)) {
                    return units
                }
                assert System.currentTimeMillis() < deadline: "not there after ${seconds}s: ${units*.state()}"
                sleep(300)
            }
        }
    }

    List<WorkUnitRecord> waitForFinal(ExperimentRecord exp) {
        waitFor(exp) { List<WorkUnitRecord> u -> u.every { it.state().isFinal() } }
    }

    Map<String, String> jobClusters(ExperimentRecord exp) {
        ExperimentStore.open(home.storeFile()).withCloseable { it.jobClusters(exp.id()) }
    }

    List<ExperimentStore.EstimateRecord> estimates(ExperimentRecord exp) {
        ExperimentStore.open(home.storeFile()).withCloseable { it.estimates(exp.id()) }
    }

    String output(ExperimentRecord exp, int unit) {
        ExperimentStore.open(home.storeFile()).withCloseable { store ->
            def out = new ByteArrayOutputStream()
            def s = status(store)
            new LogFollower(s, xmrun.app.Patience.NONE).copy(exp, s.unit(exp, unit), LogFollower.Which.LATEST, new LogFollower.Sinks({ out.write(it) }, { out.write(it) }))
            out.toString('UTF-8')
        }
    }

    /** Whether the code was staged under b's workdir (as the ssh user sees it). */
    boolean codeOnB() {
        cluster('b').transport().run(['sh', '-c', 'test -d "$HOME/$1/code"', 'test', workdir.substring(2)]).ok()
    }

    static final String REPORT = "command 'sh', '-c', 'echo \"\$1 ran on \$SLURM_CLUSTER_NAME\"', 'sh'"

    def 'a job goes to b while a long job holds the GPUs of a, and to a once b is drained'() {
        given: 'a job of this spec holds every GPU of a (and one CPU of each node) for up to 10 minutes'
        String fillerId = startFiller({ List<String> argv -> new LocalTransport().run(argv) }, '10',
                ['--nodes=2', '--ntasks-per-node=1', '--cpus-per-task=1', '--mem=64M', '--gres=gpu:2'])

        when: 'a job that needs a GPU is launched on a or b'
        def launched = launch("""
            experiment('gpu') {
                cluster 'a', 'b'
                job('train') { ${REPORT.replace('$1', 'train')}; resources { gpus 1; time '2m' } }
            }""")
        def exp = launched.experiment()
        new LocalTransport().run(['scancel', fillerId])
        fillerId = null

        then: 'a would start it after the long job; b now: it went to b'
        jobClusters(exp) == [train: 'b']
        def est = estimates(exp)
        est*.cluster() == ['a', 'b']
        est[0].delay() > 60 && est[0].refusal() == null && !est[0].chosen()
        est[1].delay() == 0 && est[1].chosen()
        waitForFinal(exp)*.state()*.name() == ['SUCCEEDED']
        output(exp, 1) == "train ran on ${env.XM_SLURM_B_CLUSTER}\n"
        codeOnB()

        when: 'b is drained, and the same launch names b first'
        assert b(['scontrol', 'update', 'nodename=b[1-2]', 'state=drain', 'reason=xmrun-multi-spec']).ok()
        def second = launch("""
            experiment('gpu') {
                cluster 'b', 'a'
                job('train') { ${REPORT.replace('$1', 'train')}; resources { gpus 1; time '2m' } }
            }""").experiment()

        then: 'b refuses it, with its reason; it goes to a'
        jobClusters(second) == [train: 'a']
        estimates(second)[0].refusal() == 'allocation failure: Requested node configuration is not available'
        estimates(second)[1].chosen()
        waitForFinal(second)*.state()*.name() == ['SUCCEEDED']
        output(second, 1) == "train ran on ${env.XM_SLURM_CLUSTER}\n"

        cleanup:
        if (fillerId != null) {
            new LocalTransport().run(['scancel', fillerId])
        }
        b(['scontrol', 'update', 'nodename=b[1-2]', 'state=resume'])
    }

    def 'code is staged only to the clusters that got work'() {
        given: 'a fresh workdir on b, and both nodes of b held by a job of this spec with a time limit of a day'
        cluster('b').transport().run(['sh', '-c', 'rm -rf "$HOME/$1"', 'rm', workdir.substring(2)])
        String filler = startFiller(this.&b, '1-0', ['--nodes=2', '--exclusive'])
        counted.b.calls.clear()

        when: 'a job is launched on b or a'
        def exp = launch("""
            experiment('here') {
                cluster 'b', 'a'
                job('one') { ${REPORT.replace('$1', 'one')}; resources { time '2m' } }
            }""").experiment()
        def bCalls = List.copyOf(counted.b.calls)
        b(['scancel', filler])
        filler = null

        then: 'b would start it in a day (its guess: the time limit of what runs there), so it went to a'
        jobClusters(exp) == [one: 'a']
        estimates(exp)[0].delay() > 23 * 3600

        and: 'b was asked, and nothing was written there'
        bCalls.size() == 1 && CountingTransport.programOf(bCalls[0]) == 'sbatch' && bCalls[0].contains('--test-only')
        !codeOnB()
        waitForFinal(exp)*.state()*.name() == ['SUCCEEDED']

        cleanup:
        if (filler != null) {
            b(['scancel', filler])
        }
    }

    /** Submits a job of this spec that holds resources for up to {@code time}, and waits until it runs; its id. */
    static String startFiller(Closure<ExecResult> run, String time, List<String> holds) {
        ExecResult r = run(['sbatch', '--parsable', '--job-name=xmrun-multi-filler', '--output=/dev/null', "--time=$time".toString()] + holds
                + ['--wrap', 'sleep 600'])
        assert r.ok(): r
        String id = r.stdout().strip()
        long deadline = System.currentTimeMillis() + 60_000
        while (run(['squeue', '-h', '-j', id, '-o', '%T']).stdout().strip() != 'RUNNING') {
            if (System.currentTimeMillis() > deadline) {
                run(['scancel', id])
                assert false: "the filler job $id did not start within 60 s"
            }
            sleep(200)
        }
        id
    }

    def 'more CPUs than the nodes of a have: a refuses, b takes it, and a pipeline after it lands on b with it'() {
        when:
        def launched = launch("""
            experiment('pipeline') {
                cluster 'a', 'b'
                job('prep') { ${REPORT.replace('$1', 'prep')}; resources { cpus 3; time '2m' } }
                job('train') { ${REPORT.replace('$1', 'train')}; after 'prep'; resources { time '2m' } }
                job('solo') { ${REPORT.replace('$1', 'solo')}; partition 'gpu'; resources { time '2m' } }
            }""")
        def exp = launched.experiment()
        def units = waitForFinal(exp)

        then: 'the chain prep -> train was placed by prep, whose request a can never grant'
        jobClusters(exp) == [prep: 'b', train: 'b', solo: 'a']
        def est = estimates(exp)
        est.findAll { it.job() == 'prep' }*.refusal() == ['allocation failure: Requested node configuration is not available', null]
        est.findAll { it.job() == 'prep' }*.chosen() == [false, true]
        !est.any { it.job() == 'train' } // the first job of a chain decides; the rest follow it
        launched.spread().choices()*.jobNames() == [['prep', 'train'], ['solo']]

        and: 'solo asks for a partition only a has'
        est.find { it.job() == 'solo' && it.cluster() == 'b' }.refusal() ==
                'invalid partition specified: gpu; allocation failure: Invalid partition name specified'

        and: "each ran where it was placed, train after prep through b's own dependency"
        units*.state()*.name() == ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']
        output(exp, 1) == "prep ran on ${env.XM_SLURM_B_CLUSTER}\n"
        output(exp, 2) == "train ran on ${env.XM_SLURM_B_CLUSTER}\n"
        output(exp, 3) == "solo ran on ${env.XM_SLURM_CLUSTER}\n"
        counted.b.calls.any { it.any { w -> w.startsWith('--dependency=afterok:') } }
        !counted.a.calls.any { it.any { w -> w.startsWith('--dependency=') } }
    }

    def 'status, logs and cancel of an experiment spread over both clusters: one squeue per cluster per poll'() {
        given: 'one job on each cluster, running'
        ExperimentRecord exp = launch("""
            experiment('spread') {
                cluster 'a', 'b'
                job('here') { command 'sh', '-c', 'echo here; exec sleep 300'; partition 'gpu'; resources { time '10m' } }
                job('there') { command 'sh', '-c', 'echo there; exec sleep 300'; resources { cpus 3; time '10m' } }
            }""").experiment()
        assert jobClusters(exp) == [here: 'a', there: 'b']
        waitFor(exp) { List<WorkUnitRecord> u -> u.every { it.state().name() == 'RUNNING' } }
        long deadline = System.currentTimeMillis() + 30_000
        while (output(exp, 1) != 'here\n' || output(exp, 2) != 'there\n') {
            assert System.currentTimeMillis() < deadline: "no output: '${output(exp, 1)}' '${output(exp, 2)}'"
            sleep(200)
        }

        when: 'one status poll'
        counted.values()*.calls*.clear()
        def units = ExperimentStore.open(home.storeFile()).withCloseable { status(it).refresh(exp) }

        then: 'one squeue on each cluster (no unit has ended: no sacct), nothing else of the schedulers'
        units*.state()*.name() == ['RUNNING', 'RUNNING']
        ['a', 'b'].every { counted[it].count('squeue') == 1 }
        counted.values().sum { it.calls.size() } == 2
        counted.b.calls.every { it.take(2) == ['env', "SLURM_CONF=$bConf".toString()] }

        when: 'both are cancelled'
        counted.values()*.calls*.clear()
        def after = ExperimentStore.open(home.storeFile()).withCloseable { status(it).cancel(exp, units, Duration.ofSeconds(30)) }

        then: 'one scancel on each cluster'
        after*.state()*.name() == ['CANCELLED', 'CANCELLED']
        counted.a.count('scancel') == 1
        counted.b.count('scancel') == 1

        cleanup: 'whatever happened, nothing of this experiment is left running'
        if (exp != null) {
            ExperimentStore.open(home.storeFile()).withCloseable { store ->
                def s = status(store)
                s.cancel(exp, store.workUnits(exp.id()), Duration.ofSeconds(10))
            }
        }
    }

    /** A submission (not a question) to a cluster's sbatch. */
    static boolean submits(List<String> argv) {
        CountingTransport.programOf(argv) == 'sbatch' && !argv.contains('--test-only') && !argv.contains('--version')
    }

    def 'a cluster that refuses at submission takes back what the others accepted; a dropped connection leaves the rest for resume'() {
        given:
        String text = """
            experiment('two') {
                cluster 'a', 'b'
                job('here') { ${REPORT.replace('$1', 'here')}; partition 'gpu'; resources { time '2m' } }
                job('there') { ${REPORT.replace('$1', 'there')}; resources { cpus 3; time '2m' } }
            }"""
        cluster('b')
        counted.b.override = { List<String> argv -> submits(argv) ? new ExecResult(1, '', 'sbatch: error: QOSMaxSubmitJobPerUserLimit\n') : null }

        when: 'b refuses its job after a accepted its own'
        launch(text)

        then: 'the launch fails with b reason; what a accepted was cancelled there, and the experiment forgotten'
        Exception e = thrown()
        e.message.contains('QOSMaxSubmitJobPerUserLimit')
        counted.a.calls.count { submits(it) } == 1
        counted.a.count('scancel') == 1
        ExperimentStore.open(home.storeFile()).withCloseable { it.experiments() } == []

        when: 'the connection to b drops while its job goes out'
        counted.b.override = { List<String> argv ->
            if (submits(argv)) {
                throw new xmrun.transport.ConnectionLost('connection to b lost while running sbatch; it may have run', null)
            }
            null
        }
        launch(text)

        then: 'the launch stops, telling how to go on; a keeps its job'
        xmrun.Failure lost = thrown()
        lost.message.contains('has 1 of 2 work units submitted; submit the rest with: xmrun resume 2')
        def exp = ExperimentStore.open(home.storeFile()).withCloseable { it.experiment(2).orElseThrow() }

        when: 'resumed with b reachable again'
        counted.b.override = { List<String> argv -> null }
        counted.values()*.calls*.clear()
        int resumed = new LaunchService(home, { String n -> cluster(n) }).resume(exp)

        then: 'only b job is submitted, on b, and both run where they were placed'
        resumed == 1
        counted.a.calls.count { submits(it) } == 0
        counted.b.calls.count { submits(it) } == 1
        waitForFinal(exp)*.state()*.name() == ['SUCCEEDED', 'SUCCEEDED']
        output(exp, 1) == "here ran on ${env.XM_SLURM_CLUSTER}\n"
        output(exp, 2) == "there ran on ${env.XM_SLURM_B_CLUSTER}\n"
    }

    def 'a cluster whose commands need a setup first gets it from commandPrefix, before every command run there'() {
        given: 'the second Slurm again, told where its config is by a shell prefix instead of environment'
        config.toFile().text = config.toFile().text.replace("environment SLURM_CONF: '$bConf'",
                "commandPrefix 'sh', '-c', 'SLURM_CONF=$bConf; export SLURM_CONF; exec \"\$@\"', 'xmrun'")
        clusters = new Clusters(home)

        when:
        def exp = launch("""
            experiment('prefixed') {
                cluster 'a', 'b'
                job('there') { ${REPORT.replace('$1', 'there')}; resources { cpus 3; time '2m' } }
            }""").experiment()

        then:
        jobClusters(exp) == [there: 'b']
        waitForFinal(exp)*.state()*.name() == ['SUCCEEDED']
        output(exp, 1) == "there ran on ${env.XM_SLURM_B_CLUSTER}\n"
        counted.b.calls.every { it.take(3) == ['sh', '-c', "SLURM_CONF=$bConf; export SLURM_CONF; exec \"\$@\"".toString()] }
        counted.b.calls.any { it.contains('squeue') } && counted.b.calls.any { it.contains('--test-only') }
    }

    XmrunProcess xmrun() {
        new XmrunProcess(dir.resolve('home'), [XMRUN_CONFIG: config.toString()])
    }

    def 'on the command line: --cluster a,b, a dry run shows each estimate and the pick, status a CLUSTER column, skipped candidates a note'() {
        given:
        Path f = launcher("""
            experiment('cli') {
                job('big') { ${REPORT.replace('$1', 'big')}; resources { cpus 3; time '2m' } }
                job('small') { ${REPORT.replace('$1', 'small')}; partition 'gpu'; resources { time '2m' } }
            }""")

        when:
        def dry = xmrun().run(f.toString(), '--cluster', 'a,b', '--dry-run')

        then:
        dry.exitCode == 0
        dry.out.readLines().any { it ==~ /  big -> b   a: skipped \(allocation failure: Requested node configuration is not available\), b: (now|in \S+)/ }
        dry.out.readLines().any { it ==~ /  small -> a   a: (now|in \S+), b: skipped \(invalid partition specified: gpu; allocation failure: Invalid partition name specified\)/ }

        when:
        def run = xmrun().run(f.toString(), '--cluster', 'a,b', '--wait')

        then:
        run.exitCode == 0
        run.err.contains('xmrun: a skipped for job big: allocation failure: Requested node configuration is not available\n')
        run.err.contains('xmrun: b skipped for job small: invalid partition specified: gpu; allocation failure: Invalid partition name specified\n')
        run.out.contains("experiment 1 'cli': 2 work units on a,b\n")

        when:
        def st = xmrun().run('status', '1')
        def js = new JsonSlurper().parseText(xmrun().run('status', '1', '--json').out) as Map
        def logs = xmrun().run('logs', '1')

        then:
        st.out.readLines()[3] ==~ /\s+WU\s+JOB\s+CLUSTER\s+STATE\s+EXIT.*/
        st.out.readLines()[4] ==~ /\s+1\s+big\s+b\s+SUCCEEDED\s+0.*/
        st.out.readLines()[5] ==~ /\s+2\s+small\s+a\s+SUCCEEDED\s+0.*/
        js.workUnits*.cluster == ['b', 'a']
        js.estimates.findAll { it.chosen }*.cluster == ['b', 'a']
        logs.out == "==> work unit 1 (big) <==\nbig ran on ${env.XM_SLURM_B_CLUSTER}\n==> work unit 2 (small) <==\nsmall ran on ${env.XM_SLURM_CLUSTER}\n"
    }

    def 'a cluster that cannot be reached is skipped with a one-line note, and the job goes to the next'() {
        given: 'a cluster whose login node refuses connections'
        int closed = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
        config.toFile().text += """
            cluster('gone') {
                scheduler 'slurm'
                ssh { host '127.0.0.1'; port $closed; user '${env.XM_SSH_USER}'; identity '${env.XM_SSH_KEY}'; knownHosts '${env.XM_SSH_KNOWN_HOSTS}' }
            }"""
        Path f = launcher("""
            experiment('reach') {
                cluster 'gone', 'b'
                job('one') { ${REPORT.replace('$1', 'one')}; resources { time '2m' } }
            }""")

        when:
        def r = xmrun().run(f.toString(), '--wait')

        then:
        r.exitCode == 0
        r.err.readLines().findAll { it.startsWith('xmrun: gone skipped') } ==
                ["xmrun: gone skipped for job one: cannot reach ${env.XM_SSH_USER}@127.0.0.1:$closed: Connection refused".toString()]
        r.out.contains("  one -> b   gone: skipped (cannot reach ${env.XM_SSH_USER}@127.0.0.1:$closed: Connection refused), b: now\n")
        xmrun().run('logs', '1', '1').out == "one ran on ${env.XM_SLURM_B_CLUSTER}\n"
    }

    def 'when no candidate can take a job, the launch fails with each one reason, exit 1, and nothing is submitted'() {
        given:
        Path f = launcher("""
            experiment('huge') {
                cluster 'a', 'b'
                job('huge') { command 'true'; resources { cpus 64 } }
            }""")
        int before = Integer.parseInt(b(['sh', '-c', 'squeue -h -t all | wc -l']).stdout().strip())

        when:
        def r = xmrun().run(f.toString())

        then:
        r.exitCode == 1
        r.err.contains("no cluster can take job huge; nothing was submitted:\n  a: allocation failure: Requested node configuration is not available\n"
                + "  b: allocation failure: Requested node configuration is not available")
        xmrun().run('list').out.readLines().every { !it.contains('huge') }
        Integer.parseInt(b(['sh', '-c', 'squeue -h -t all | wc -l']).stdout().strip()) == before
    }
}
