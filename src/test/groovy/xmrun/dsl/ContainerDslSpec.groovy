package xmrun.dsl

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError
import xmrun.model.Container
import xmrun.model.Experiment
import xmrun.model.ImageRef

import java.nio.file.Path

/** The container word in launchers: what it builds, what it refuses, and how image references are read. */
class ContainerDslSpec extends Specification {
    @TempDir
    Path dir

    Experiment load(String text) {
        Path file = dir.resolve('c.xm.groovy')
        file.toFile().text = text
        LauncherLoader.load(file, 'c.xm.groovy')
    }

    String errorOf(String text) {
        try {
            load(text)
            return 'no error'
        } catch (UserError e) {
            return e.message
        }
    }

    def 'the experiment\'s container applies to every job, a job\'s own replaces it, and container none runs on the node'() {
        when:
        Experiment e = load('''
            experiment('x') {
                container 'docker://ghcr.io/lab/train:1.2'
                job('a') { command 'true' }
                job('b') {
                    command 'true'
                    container {
                        image 'images/train.sqsh'
                        runtime 'enroot'
                    }
                }
                job('c') { command 'true'; container none }
            }''')

        then:
        e.job('a').container().image() == 'docker://ghcr.io/lab/train:1.2'
        e.job('a').container().runtime() == null
        e.job('a').container().declaredAt().toString() == 'c.xm.groovy:3'
        e.job('b').container().image() == 'images/train.sqsh'
        e.job('b').container().runtime() == 'enroot'
        e.job('b').container().declaredAt().toString() == 'c.xm.groovy:7'
        e.job('c').container() == null
    }

    def 'a container block holds mounts, env, writable and runtime options; its env goes to the job, whose own env wins'() {
        when:
        Experiment e = load('''
            experiment('x') {
                job('a') {
                    command 'true'
                    env SHARED: 'job', OWN: 'mine'
                    container {
                        image 'ghcr.io/lab/train@sha256:''' + 'a' * 64 + ''''
                        mount '/data', '/data', ro: true
                        mount '/scratch/me'
                        mount 'inputs', '/inputs'
                        env SHARED: 'container', HF_HOME: '/data/hf'
                        writable true
                        options '--shm-size=8g'
                    }
                }
            }''')
        Container c = e.job('a').container()

        then:
        c.mounts().collect { [it.host(), it.container(), it.readOnly(), it.declaredAt().line()] } ==
                [['/data', '/data', true, 8], ['/scratch/me', '/scratch/me', false, 9], ['inputs', '/inputs', false, 10]]
        c.env() == [SHARED: 'container', HF_HOME: '/data/hf']
        c.writable()
        c.options() == ['--shm-size=8g']
        e.job('a').env() == [SHARED: 'job', HF_HOME: '/data/hf', OWN: 'mine']
    }

    def 'a job without a container word has none, and its scripts stay as they were'() {
        expect:
        load("experiment('x') { job('a') { command 'true' } }").job('a').container() == null
    }

    def 'a bad container is reported as one FILE:LINE: line: #message'() {
        expect:
        errorOf(launcher) == message

        where:
        launcher || message
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container { imgae 'x' }\n  }\n}" ||
                "c.xm.groovy:4: unknown word 'imgae' in container { }; did you mean 'image'?"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container { runtime 'podman' }\n  }\n}" ||
                "c.xm.groovy:4: container { } needs an image: image 'docker://ghcr.io/lab/train:1.2'"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container 'Ghcr.io/Lab/Train:1.2'\n  }\n}" ||
                "c.xm.groovy:4: image 'Ghcr.io/Lab/Train:1.2' is neither an image file (a path, or a name ending in .sif .simg .sqsh .squashfs .tar) nor a registry reference like ghcr.io/lab/train:1.2"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container {\n      image 'a.sif'\n      mount '/data', 'data'\n    }\n  }\n}" ||
                "c.xm.groovy:6: mount: the path inside the container must be absolute, got 'data'"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container {\n      image 'a.sif'\n      mount '/data,x'\n    }\n  }\n}" ||
                "c.xm.groovy:6: mount: '/data,x' cannot be mounted: runtimes separate mounts and their options with ',' and ':' (podman -v, srun --container-mounts)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container { image 'a.sif'; mount '/d', '/d', ro: 'yes' }\n  }\n}" ||
                "c.xm.groovy:4: mount ... ro: expects true or false, got 'yes' (String)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container { image 'a.sif'; mount '/d', '/d', readonly: true }\n  }\n}" ||
                "c.xm.groovy:4: 'mount' takes only ro: true|false, not 'readonly'"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container { image 'a.sif'; writable 'no' }\n  }\n}" ||
                "c.xm.groovy:4: 'writable' expects true or false, got 'no' (String)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container { image 'a.sif'; runtime 'Apptainer 1.3' }\n  }\n}" ||
                "c.xm.groovy:4: runtime must be a plain name like 'podman', got 'Apptainer 1.3'"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container { image 'a.sif'; env XM_WORK_DIR: '/x' }\n  }\n}" ||
                "c.xm.groovy:4: env name 'XM_WORK_DIR' is reserved: xmrun sets XM_* variables itself"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    container 'a.sif'\n    container 'b.sif'\n  }\n}" ||
                "c.xm.groovy:5: job 'a' already has a container (line 4)"
        "experiment('x') {\n  container 'a.sif'\n  container 'b.sif'\n  job('a') { command 'true' }\n}" ||
                "c.xm.groovy:3: experiment 'x' already has a container (line 2)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    image 'a.sif'\n  }\n}" ||
                "c.xm.groovy:4: 'image' belongs in container { }, not in job('a') { }"
    }

    def 'an image reference #text is a #kind'() {
        when:
        ImageRef r = ImageRef.parse(text)

        then:
        r.kind() == kind
        r.name() == name
        r.registry() == registry
        r.tag() == tag
        r.digest() == digest
        r.plain() == plain

        where:
        text                                        || kind                   | name                  | registry    | tag    | digest            | plain
        'images/train.sqsh'                         || ImageRef.Kind.FILE     | null                  | null        | null   | null              | 'images/train.sqsh'
        '/scratch/me/train.sif'                     || ImageRef.Kind.FILE     | null                  | null        | null   | null              | '/scratch/me/train.sif'
        './rootfs'                                  || ImageRef.Kind.FILE     | null                  | null        | null   | null              | './rootfs'
        'docker://ghcr.io/lab/train:1.2'            || ImageRef.Kind.REGISTRY | 'ghcr.io/lab/train'   | 'ghcr.io'   | '1.2'  | null              | 'ghcr.io/lab/train:1.2'
        'ghcr.io/lab/train@sha256:' + 'b' * 64      || ImageRef.Kind.REGISTRY | 'ghcr.io/lab/train'   | 'ghcr.io'   | null   | 'sha256:' + 'b' * 64 | 'ghcr.io/lab/train@sha256:' + 'b' * 64
        'localhost:5000/train:v1'                   || ImageRef.Kind.REGISTRY | 'localhost:5000/train' | 'localhost:5000' | 'v1' | null           | 'localhost:5000/train:v1'
        'localhost/xmrun-test:1'                    || ImageRef.Kind.REGISTRY | 'localhost/xmrun-test' | 'localhost' | '1'    | null              | 'localhost/xmrun-test:1'
        'ubuntu:22.04'                              || ImageRef.Kind.REGISTRY | 'ubuntu'              | null        | '22.04' | null             | 'ubuntu:22.04'
        'library/ubuntu'                            || ImageRef.Kind.REGISTRY | 'library/ubuntu'      | null        | null   | null              | 'library/ubuntu'
        'library://sylabs/default/alpine:3.19'      || ImageRef.Kind.OTHER    | null                  | null        | null   | null              | 'library://sylabs/default/alpine:3.19'
    }
}
