package xmrun.executor;

import xmrun.Failure;
import xmrun.model.Container;
import xmrun.model.Experiment;
import xmrun.model.ImagePin;
import xmrun.model.ImageRef;
import xmrun.model.Job;
import xmrun.model.ScriptError;
import xmrun.scheduler.Capability;
import xmrun.transport.ExecResult;
import xmrun.transport.RegistryClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pins each container job's image at launch, asking the cluster (one command through its transport for all
 * of an experiment's images), so that every work unit runs the same bytes however the reference moves later:
 * <ul>
 *   <li>an image file: its sha256, and a read-only copy named by it in the image cache
 *       ({@code CACHE/sha256/HEX/NAME}), made once per content; the job runs the copy. The copy is hashed
 *       again before it gets its name, so a file rewritten while it is copied is not cached under the
 *       old hash.</li>
 *   <li>a podman image: {@code podman image inspect} on the cluster gives its id and digest; the job runs
 *       {@code NAME@sha256:...} for an image of a registry (pulled by digest where it is missing) and the image
 *       id for a local one ({@code localhost/...}, which no registry knows).</li>
 *   <li>a registry reference for another runtime, or one podman on the cluster does not have yet: the registry's
 *       API, asked from here ({@link RegistryClient}); the job runs {@code NAME@sha256:...}.</li>
 *   <li>a reference that already names a digest is pinned as it is.</li>
 * </ul>
 * What cannot be pinned (a directory image, a registry reference the runtime cannot resolve before it pulls)
 * runs as given and says why. A missing image file, and on a cluster whose work units run on the host asked
 * (local), a missing mount, fail the launch with the launcher's line.
 */
public final class ImagePins {
    /** Runs once with all the checks as arguments: "KIND PATH" pairs after the cache; prints one line per pair. */
    static final String SCRIPT = """
            cache=$1; shift
            while [ $# -gt 1 ]; do
                kind=$1; ref=$2; shift 2
                case $kind in
                file)
                    if [ -d "$ref" ]; then echo dir
                    elif [ ! -f "$ref" ]; then echo missing
                    elif ! sum=$(sha256sum <"$ref"); then echo 'error cannot read the file'
                    else
                        sum=${sum%% *}; dest="$cache/sha256/$sum/${ref##*/}"
                        if [ ! -f "$dest" ]; then
                            tmp="$cache/sha256/.tmp.$$"
                            mkdir -p "$cache/sha256" && cp "$ref" "$tmp" && chmod a-w "$tmp" && sum=$(sha256sum <"$tmp") \\
                                && sum=${sum%% *} && dest="$cache/sha256/$sum/${ref##*/}" && mkdir -p "${dest%/*}" && mv -f "$tmp" "$dest" \\
                                || { rm -f "$tmp"; echo "error cannot copy it to $cache"; continue; }
                        fi
                        echo "ok sha256:$sum $dest"
                    fi ;;
                podman)
                    if out=$(podman image inspect --format '{{.Id}} {{.Digest}}' "$ref" 2>&1); then echo "ok $out"
                    else echo "none $(printf '%s' "$out" | tr '\\n' ' ')"; fi ;;
                mount)
                    if [ -e "$ref" ]; then echo present; else echo missing; fi ;;
                esac
            done
            """;

    private final Cluster cluster;
    private final RegistryClient registry = new RegistryClient();

    public ImagePins(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * @param codeDir where work units start on the cluster: relative image files and mounts are found there
     * @param cache   the image cache on the cluster
     * @return each container job's pin, by job name
     */
    public Map<String, ImagePin> resolve(Experiment experiment, String codeDir, String cache) {
        return resolve(experiment.jobs(), codeDir, cache);
    }

    /** The same for some of an experiment's jobs (those that run on this cluster), in their order. */
    public Map<String, ImagePin> resolve(List<Job> jobs, String codeDir, String cache) {
        List<Check> checks = new ArrayList<>();
        Map<String, ImagePin> pins = new LinkedHashMap<>();
        boolean sameHost = cluster.scheduler().capabilities().contains(Capability.SAME_HOST);
        for (Job job : jobs) {
            Container c = job.container();
            if (c == null) {
                continue;
            }
            ImageRef ref = c.imageRef();
            if (ref.isFile()) {
                checks.add(new Check(job, "file", onCluster(ref.path(), codeDir), null));
            } else if (ref.digest() != null) {
                pins.put(job.name(), new ImagePin(job.name(), c.runtime(), c.image(), ref.digest(), ref.name() + "@" + ref.digest(),
                        "the reference names its digest"));
            } else if (ref.kind() == ImageRef.Kind.REGISTRY && "podman".equals(c.runtime())) {
                checks.add(new Check(job, "podman", ref.plain(), null));
            } else if (ref.kind() == ImageRef.Kind.REGISTRY) {
                pins.put(job.name(), fromRegistry(job, "the registry's digest of the tag"));
            } else {
                pins.put(job.name(), asGiven(job, "not pinned: xmrun cannot ask " + ref.text().substring(0, ref.text().indexOf("://"))
                        + ":// for a digest; name the image by digest to pin it"));
            }
            if (sameHost) {
                for (Container.Mount m : c.mounts()) {
                    checks.add(new Check(job, "mount", onCluster(m.host(), codeDir), m));
                }
            }
        }
        if (checks.isEmpty()) {
            return pins;
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "sh", cache));
        checks.forEach(k -> argv.addAll(List.of(k.kind, k.path)));
        ExecResult r = cluster.transport().run(argv);
        List<String> lines = r.stdout().lines().toList();
        if (!r.ok() || lines.size() != checks.size()) {
            throw new Failure("cannot check container images on " + cluster.describe() + ": " + (r.stderr() + r.stdout()).trim());
        }
        for (int i = 0; i < checks.size(); i++) {
            Check k = checks.get(i);
            ImagePin pin = read(k, lines.get(i));
            if (pin != null) {
                pins.put(k.job.name(), pin);
            }
        }
        Map<String, ImagePin> ordered = new LinkedHashMap<>();
        jobs.stream().filter(j -> pins.containsKey(j.name())).forEach(j -> ordered.put(j.name(), pins.get(j.name())));
        return ordered;
    }

    private record Check(Job job, String kind, String path, Container.Mount mount) {
    }

    private ImagePin read(Check k, String line) {
        Container c = k.job.container();
        String[] f = line.split(" ", 2);
        String rest = f.length > 1 ? f[1] : "";
        switch (k.kind) {
            case "mount" -> {
                if (f[0].equals("missing")) {
                    throw new ScriptError(k.mount.declaredAt(), "mount '" + k.mount.host() + "': " + k.path + " does not exist on "
                            + cluster.describe());
                }
                return null;
            }
            case "file" -> {
                return switch (f[0]) {
                    case "ok" -> new ImagePin(k.job.name(), c.runtime(), c.image(), rest.substring(0, rest.indexOf(' ')),
                            rest.substring(rest.indexOf(' ') + 1), "the file's sha256; the job runs a read-only copy named by it");
                    case "dir" -> new ImagePin(k.job.name(), c.runtime(), c.image(), null, k.path,
                            "not pinned: a directory image has no digest; a squashfs of it (mksquashfs DIR IMAGE.sqsh) is pinned");
                    case "missing" -> throw new ScriptError(c.declaredAt(), "image file '" + c.image() + "' does not exist on "
                            + cluster.describe() + " (looked for " + k.path + ")");
                    default -> throw new Failure("cannot pin image " + k.path + " on " + cluster.describe() + ": " + rest);
                };
            }
            default -> {
                if (!f[0].equals("ok")) {
                    return fromRegistry(k.job, "podman on " + cluster.describe() + " has no image " + k.path
                            + " yet: the registry's digest of the tag; the job pulls it by digest");
                }
                return podman(k.job, c, rest.trim());
            }
        }
    }

    /** Asks the image's registry for the digest its tag names now; not pinned (and why) when it cannot say. */
    private ImagePin fromRegistry(Job job, String how) {
        Container c = job.container();
        ImageRef ref = c.imageRef();
        try {
            String digest = registry.digest(ref.registry(), ref.repository(), ref.tag());
            return new ImagePin(job.name(), c.runtime(), c.image(), digest, ref.name() + "@" + digest, how);
        } catch (RegistryClient.Unresolved e) {
            return asGiven(job, "not pinned: " + e.getMessage());
        }
    }

    /** "ID DIGEST" from podman image inspect. */
    private static ImagePin podman(Job job, Container c, String inspected) {
        String[] f = inspected.split(" ");
        String id = f[0];
        String digest = f.length > 1 && f[1].startsWith("sha256:") ? f[1] : "sha256:" + id;
        ImageRef ref = c.imageRef();
        String registry = ref.registry();
        boolean local = registry == null || registry.equals("localhost");
        return new ImagePin(job.name(), c.runtime(), c.image(), digest, local ? id : ref.name() + "@" + digest,
                local ? "podman image id " + id : "podman image id " + id + "; the job runs it by registry digest");
    }

    /** An image that runs as the launcher names it. */
    private static ImagePin asGiven(Job job, String note) {
        Container c = job.container();
        return new ImagePin(job.name(), c.runtime(), c.image(), null, c.imageRef().plain(), note);
    }

    /** The image as written, for scripts rendered without launching ({@code xmrun render}, {@code --dry-run}). */
    public ImagePin unresolved(Job job, String codeDir) {
        Container c = job.container();
        ImageRef ref = c.imageRef();
        String image = ref.isFile() ? onCluster(ref.path(), codeDir) : ref.digest() != null ? ref.name() + "@" + ref.digest() : ref.plain();
        return new ImagePin(job.name(), c.runtime(), c.image(), ref.digest(), image, "not resolved: rendered without launching");
    }

    /** A path on the cluster: absolute, under the home directory (~/), or relative to the code directory. */
    public String onCluster(String path, String codeDir) {
        if (path.startsWith("/")) {
            return path;
        }
        if (path.startsWith("~/")) {
            return cluster.transport().home() + path.substring(1);
        }
        return codeDir + "/" + (path.startsWith("./") ? path.substring(2) : path);
    }
}
