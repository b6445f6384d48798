package xmrun.dsl

import groovy.transform.CompileStatic
import groovy.transform.PackageScope
import xmrun.model.ArgFormat
import xmrun.model.Container
import xmrun.model.ImageRef
import xmrun.model.SourceRef

/**
 * {@code container { image 'ghcr.io/lab/train:1.2'; runtime 'podman'; mount '/data', '/data', ro: true; env HF_HOME: '/data/hf';
 * writable false }}, or just {@code container 'ghcr.io/lab/train:1.2'}.
 */
@CompileStatic
class ContainerContext extends DslContext {
    private final SourceRef declaredAt
    private String image
    private String runtime
    private final List<Container.Mount> mounts = []
    private final Map<String, String> env = [:]
    private boolean writable
    private final List<String> options = []

    ContainerContext(SourceRef declaredAt) {
        this.declaredAt = declaredAt
    }

    String blockName() { 'container { }' }

    /** A registry reference ({@code docker://ghcr.io/lab/train:1.2}, {@code ...@sha256:...}) or an image file or directory. */
    void image(Object ref) {
        image = checkedImage(text('image', ref))
    }

    @PackageScope
    static String checkedImage(String ref) {
        try {
            ImageRef.parse(ref)
        } catch (IllegalArgumentException e) {
            throw new DslError("image ${e.message}")
        }
        ref
    }

    /** podman, enroot (through Pyxis on Slurm), charliecloud, apptainer, singularity, or one of your templates' container/NAME.sh.peb. */
    void runtime(Object name) {
        String r = text('runtime', name)
        if (!(r ==~ /[a-z][a-z0-9_-]*/)) {
            throw new DslError("runtime must be a plain name like 'podman', got '$r'")
        }
        runtime = r
    }

    /** {@code mount '/data', '/data', ro: true}: a host path at a path inside; the same path inside when only one is given. */
    void mount(Map<String, Object> opts, String host) {
        mount(opts, host, host)
    }

    void mount(Map<String, Object> opts, String host, String inside) {
        Set<String> unknown = opts.keySet() - ['ro']
        if (unknown) {
            throw new DslError("'mount' takes only ro: true|false, not '${unknown.first()}'")
        }
        if (!(opts.ro instanceof Boolean)) {
            throw new DslError("mount ... ro: expects true or false, got ${describe(opts.ro)}")
        }
        addMount(host, inside, (Boolean) opts.ro)
    }

    void mount(String host) {
        addMount(host, host, false)
    }

    void mount(String host, String inside) {
        addMount(host, inside, false)
    }

    private void addMount(String host, String inside, boolean readOnly) {
        String problem = Container.Mount.problem(text('mount', host), text('mount', inside))
        if (problem != null) {
            throw new DslError(problem)
        }
        mounts << new Container.Mount(host, inside, readOnly, here())
    }

    /** {@code env HF_HOME: '/data/hf'}: variables for the program inside the container (the job's own env wins). */
    void env(Map<String, Object> vars) {
        vars.each { String k, Object v ->
            JobContext.envName(k)
            env[k] = ArgFormat.value(scalar(k, v, "'$k' takes a string, number or boolean"))
        }
    }

    /** {@code writable true}: the program may write anywhere in the container's file system (the changes are thrown away). */
    void writable(Object yes) {
        if (!(yes instanceof Boolean)) {
            throw new DslError("'writable' expects true or false, got ${describe(yes)}")
        }
        writable = (Boolean) yes
    }

    /** Words given to the runtime as they are: {@code options '--shm-size=8g'}. */
    void options(String... words) {
        words.each { options << text('options', it) }
    }

    Container build() {
        if (image == null) {
            throw new DslError("container { } needs an image: image 'docker://ghcr.io/lab/train:1.2'")
        }
        new Container(image, runtime, mounts, env, writable, options, declaredAt)
    }

    /** {@code container 'IMAGE'}: defaults for everything else. */
    @PackageScope
    static Container of(Object ref, SourceRef at) {
        new Container(checkedImage(text('container', ref)), null, [], [:], false, [], at)
    }
}
