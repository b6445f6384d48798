package xmrun.faults

import java.nio.file.Files
import java.nio.file.Path

/**
 * Stops and starts the test cluster's scheduler daemons for fault specs: by the pid files the project's scripts
 * write, and back up through those scripts (src/test/cluster/start-*.sh), which start exactly what is missing.
 * Other people use the same daemons: outages are kept short and always ended.
 */
class Daemons {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')
    static final Path SCRIPTS = Path.of('src/test/cluster').toAbsolutePath()
    static final Path SLURMCTLD_PID = CLUSTER.resolve('slurm/slurmctld.pid')
    static final Path QMASTER_PID = Path.of('/var/spool/gridengine/qmaster/qmaster.pid')

    /** The pid in the file when it is a live process of that name (as lib.sh's alive does), else null. */
    static Long alive(Path pidFile, String name) {
        if (!Files.isReadable(pidFile)) {
            return null
        }
        String text = pidFile.toFile().text.trim()
        if (!(text ==~ /\d+/)) {
            return null
        }
        Path comm = Path.of('/proc', text, 'comm')
        Files.isReadable(comm) && comm.toFile().text.trim() == name ? text as long : null
    }

    /** TERM, then wait for it to go (at most {@code seconds}), as stop_pidfile in lib.sh does; KILL if it will not. */
    static void stop(Path pidFile, String name, int seconds = 15) {
        Long pid = alive(pidFile, name)
        assert pid != null: "$name is not running (no live pid in $pidFile)"
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow()
        run(['kill', '-TERM', "$pid"])
        waitGone(handle, seconds) || run(['kill', '-KILL', "$pid"])
        assert waitGone(handle, 5): "$name ($pid) did not stop"
    }

    static boolean waitGone(ProcessHandle handle, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (handle.alive) {
            if (System.currentTimeMillis() > deadline) {
                return false
            }
            sleep(100)
        }
        true
    }

    static void stopSlurmctld() {
        stop(SLURMCTLD_PID, 'slurmctld')
    }

    /** start-slurm.sh starts slurmctld as it always does (and checks the rest); idempotent. */
    static void startSlurm() {
        script('start-slurm.sh')
    }

    /** Asks qmaster to shut down (qconf -km) and waits for its pid to go, as stop-sge.sh does for qmaster alone. */
    static void stopQmaster() {
        Long pid = alive(QMASTER_PID, 'sge_qmaster')
        assert pid != null: "sge_qmaster is not running (no live pid in $QMASTER_PID)"
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow()
        new ProcessBuilder('qconf', '-km').redirectErrorStream(true).start().waitFor()
        if (!waitGone(handle, 20)) {
            stop(QMASTER_PID, 'sge_qmaster')
        }
    }

    /** start-sge.sh starts qmaster (and restarts execd for it, so it registers at once). */
    static void startSge() {
        script('start-sge.sh')
    }

    /** In a session of its own: the daemons it starts outlive this JVM and whatever stops its process group. */
    private static void script(String name) {
        Process p = new ProcessBuilder('setsid', 'bash', SCRIPTS.resolve(name).toString()).redirectErrorStream(true).start()
        String out = p.inputStream.text
        assert p.waitFor() == 0: "$name failed:\n$out"
    }

    static String run(List<String> argv) {
        Process p = new ProcessBuilder(argv*.toString()).redirectErrorStream(true).start()
        String out = p.inputStream.text
        p.waitFor()
        out
    }

    /** Waits (at most {@code seconds}) for a queue with no running job: others' tests should not see our outage. */
    static void awaitQuiet(List<String> runningJobs, int seconds = 60) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (!run(runningJobs).trim().isEmpty() && System.currentTimeMillis() < deadline) {
            sleep(2000)
        }
    }

    /**
     * Every array task sacct knows under this job name, one entry per task (the window reaches into the future: a
     * job that may only start later counts too). Pending arrays show as one line with a range ({@code 12_[0-999%4]}),
     * which is spread here into its tasks. With {@code expected}: once it lists that many, or after a minute.
     */
    static List<String> sacctTasks(String jobName, int expected) {
        List<String> tasks = []
        long deadline = System.currentTimeMillis() + 60_000
        while ((tasks = sacctTasks(jobName)).size() < expected && System.currentTimeMillis() < deadline) {
            sleep(1000) // slurmdbd hears of new jobs from slurmctld some seconds late
        }
        tasks
    }

    static List<String> sacctTasks(String jobName) {
        String out = run(['sacct', '--noheader', '--parsable2', '--allocations', "--name=$jobName", '--starttime=now-1day',
                          '--endtime=now+2days', '--format=JobID'])
        List<String> tasks = []
        out.readLines()*.trim().findAll { it }.each { String id ->
            def range = id =~ /^(\d+)_\[([0-9,\-]+)(?:%\d+)?\]$/
            if (range.matches()) {
                range.group(2).split(',').each { String part ->
                    def (from, to) = part.contains('-') ? part.split('-')*.toInteger() : [part.toInteger(), part.toInteger()]
                    (from..to).each { tasks << "${range.group(1)}_$it".toString() }
                }
            } else {
                tasks << id
            }
        }
        tasks
    }
}
