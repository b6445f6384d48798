package xmrun.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container a job's program runs in. The program gets the same argv, its XM_* variables and env, the
 * code directory and the experiment's work dir at the same paths inside as outside.
 *
 * @param image    a registry reference ({@code docker://ghcr.io/lab/train:1.2}, {@code ghcr.io/lab/train@sha256:...})
 *                 or an image file or directory ({@code images/train.sqsh}, {@code /scratch/me/train.sif}); see {@link ImageRef}
 * @param runtime  {@code podman}, {@code enroot}, {@code charliecloud}, {@code apptainer}, {@code singularity} or a
 *                 runtime of the user's templates ({@code container/NAME.sh.peb}); null: the cluster's default
 * @param mounts   host paths made visible inside, beyond the code and work directories
 * @param env      variables set for the program inside the container, as the job's env is
 * @param writable whether the program may write to the container's own file system (changes are discarded)
 * @param options  words passed to the runtime as they are ({@code --shm-size=8g})
 */
public record Container(String image, String runtime, List<Mount> mounts, Map<String, String> env, boolean writable,
                        List<String> options, SourceRef declaredAt) {
    public Container {
        if (image == null || image.isBlank()) {
            throw new ScriptError(declaredAt, "container needs an image: container 'docker://ghcr.io/lab/train:1.2' or image '...'");
        }
        mounts = List.copyOf(mounts);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        options = List.copyOf(options);
    }

    public ImageRef imageRef() {
        return ImageRef.parse(image);
    }

    /** With the runtime the cluster's config (or xmrun's default) gives, when the launcher names none. */
    public Container withRuntime(String defaultRuntime) {
        return runtime != null ? this : new Container(image, defaultRuntime, mounts, env, writable, options, declaredAt);
    }

    /**
     * A host path seen inside the container.
     *
     * @param host      an absolute path on the cluster, or one relative to the code directory
     * @param container an absolute path inside the container
     */
    public record Mount(String host, String container, boolean readOnly, SourceRef declaredAt) {
        public Mount {
            String problem = problem(host, container);
            if (problem != null) {
                throw new ScriptError(declaredAt, problem);
            }
        }

        /** What is wrong with a mount, or null. */
        public static String problem(String host, String container) {
            if (!container.startsWith("/")) {
                return "mount: the path inside the container must be absolute, got '" + container + "'";
            }
            for (String p : List.of(host, container)) {
                if (p.isEmpty() || p.contains(",") || p.contains(":")) {
                    return "mount: '" + p + "' cannot be mounted: runtimes separate mounts and their options with ',' and ':'"
                            + " (podman -v, srun --container-mounts)";
                }
            }
            return null;
        }
    }
}
