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
}
