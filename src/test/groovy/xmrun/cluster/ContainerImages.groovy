package xmrun.cluster

import xmrun.Hostile

import java.nio.file.Files
import java.nio.file.Path

/**
 * The test cluster's container images (src/test/cluster/start-containers.sh writes their paths and digests to
 * containers.env) and a probe program that reports, from inside a container, what only the image has (its
 * /etc/os-release) and what xmrun gave it: argv, env and working directory, each byte for byte.
 */
class ContainerImages {
    static final Path CLUSTER = Path.of(System.getenv('XM_TESTCLUSTER_DIR') ?: '/tmp/xmrun-testcluster')
    /** Values of env variables H0..H11 (the hostile strings, reversed so no value sits beside its own argument). */
    static final List<String> ENV_VALUES = Hostile.STRINGS.reverse()

    final Properties values = new Properties()

    /** Fails, never skips, when the runtimes or images are missing. */
    ContainerImages() {
        Path env = CLUSTER.resolve('containers.env')
        if (!Files.exists(env)) {
            throw new IllegalStateException("$env is missing: the test cluster's container runtimes are not set up; run: bash src/test/cluster/up.sh")
        }
        env.toFile().withReader { values.load(it) }
        for (String key : ['XM_PODMAN', 'XM_ENROOT', 'XM_CH_RUN', 'XM_PYXIS_PLUGIN', 'XM_IMAGE_1_SQSH', 'XM_IMAGE_2_SQSH']) {
            String path = values.getProperty(key)
            if (path == null || !Files.exists(Path.of(path))) {
                throw new IllegalStateException("$key ($path) is missing; run: bash src/test/cluster/up.sh")
            }
        }
    }

    String get(String key) {
        String v = values.getProperty(key)
        assert v != null: "containers.env has no $key"
        v
    }

    /** The image and the digest xmrun must pin it to, for image N (1 or 2) as a runtime takes it. */
    Map<String, String> image(String runtime, int n) {
        runtime == 'podman' ? [image: get("XM_IMAGE_${n}_PODMAN"), digest: get("XM_IMAGE_${n}_PODMAN_DIGEST")]
                : [image: get("XM_IMAGE_${n}_SQSH"), digest: 'sha256:' + get("XM_IMAGE_${n}_SQSH_SHA256")]
    }

    /** Writes probe.sh into the code directory. */
    static void writeProbe(Path codeDir) {
        Files.createDirectories(codeDir)
        codeDir.resolve('probe.sh').toFile().text = '''\
            grep -h -e '^ID=' -e '^VERSION_ID=' /etc/os-release
            printf '%s\\0' "$@" >"$XM_WORK_DIR/argv"
            for i in 0 1 2 3 4 5 6 7 8 9 10 11; do n=H$i; printf '%s\\0' "${!n}"; done >"$XM_WORK_DIR/env"
            printf '%s\\n' "$PWD" >"$XM_WORK_DIR/pwd"
            '''.stripIndent()
    }

    /** A job running the probe over the hostile sweep, with the hostile env, in the image given. */
    static String hostileJob(String name, String runtime, String image) {
        String env = ENV_VALUES.withIndex().collect { String v, int i -> "H$i: ${Hostile.asGroovyValues([v])}" }.join(', ')
        """
                job('$name') {
                    command 'bash', 'probe.sh'
                    env $env
                    container { image '$image'; runtime '$runtime' }
                    sweep { arg ${Hostile.asGroovyValues(Hostile.STRINGS)} }
                }"""
    }

    /** What each of the 12 units of a hostile job must have written: problems, or an empty list. */
    static List<String> hostileProblems(Path workDir, int firstId, String codeDir, String versionId = '1') {
        List<String> problems = []
        Hostile.STRINGS.eachWithIndex { String value, int i ->
            Path wu = workDir.resolve("wu/${firstId + i}")
            String out = Files.exists(wu.resolve('stdout')) ? Files.readString(wu.resolve('stdout')) : '(no stdout)'
            if (out != "ID=xmrun-test\nVERSION_ID=$versionId\n") {
                problems << "unit ${firstId + i}: stdout is not the image's os-release: $out / stderr: ${read(wu.resolve('stderr'))}"
                return
            }
            List<String> argv = read(wu.resolve('argv')).split('\0', -1).toList()
            if (argv != ["--arg=$value".toString(), '']) {
                problems << "unit ${firstId + i}: argv ${argv}"
            }
            if (read(wu.resolve('env')).split('\0', -1).toList() != ENV_VALUES + ['']) {
                problems << "unit ${firstId + i}: env ${read(wu.resolve('env')).split('\0', -1).toList()}"
            }
            if (read(wu.resolve('pwd')) != codeDir + '\n') {
                problems << "unit ${firstId + i}: working directory ${read(wu.resolve('pwd'))}"
            }
        }
        problems
    }

    static String read(Path p) {
        Files.exists(p) ? new String(Files.readAllBytes(p), 'UTF-8') : "(no ${p.fileName})"
    }
}
