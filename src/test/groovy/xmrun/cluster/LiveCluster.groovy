package xmrun.cluster

/**
 * The test cluster must be running (bash src/test/cluster/up.sh). A spec that needs it fails, never
 * skips, when it is not: a green run must mean the scheduler was really exercised.
 */
class LiveCluster {
    static void require(String what, List<String> probe) {
        String problem
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start()
            String out = p.inputStream.text
            problem = p.waitFor() == 0 ? null : out.trim()
        } catch (IOException e) {
            problem = e.message
        }
        if (problem != null) {
            throw new IllegalStateException("$what is not running here ($problem); start it with: bash src/test/cluster/up.sh")
        }
    }

    /** cluster.env of the test cluster: KEY=VALUE lines written by up.sh. */
    static Map<String, String> env() {
        File file = new File(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster', 'cluster.env')
        if (!file.isFile()) {
            throw new IllegalStateException("no $file; start the test cluster with: bash src/test/cluster/up.sh")
        }
        Properties p = new Properties()
        file.withReader { p.load(it) }
        p as Map<String, String>
    }

    /** The bin directory of the test cluster's Python with Ray and PyTorch (XM_PYTHON_BIN); missing, it fails the spec. */
    static String pythonBin() {
        String bin = env().XM_PYTHON_BIN
        if (bin == null) {
            throw new IllegalStateException('cluster.env has no XM_PYTHON_BIN; run: bash src/test/cluster/up.sh')
        }
        require('Python with Ray and PyTorch', ["$bin/python".toString(), '-c', 'import ray, torch'])
        ['ray', 'torchrun'].each { require(it, ["$bin/$it".toString(), '--help']) }
        bin
    }
}
