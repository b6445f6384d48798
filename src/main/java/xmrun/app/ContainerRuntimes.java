package xmrun.app;

import xmrun.config.ClusterSpec;
import xmrun.model.Container;
import xmrun.model.Experiment;
import xmrun.model.ImageRef;
import xmrun.model.Job;
import xmrun.model.ScriptError;
import xmrun.model.SourceRef;
import xmrun.model.Suggest;
import xmrun.render.TemplateCatalog;
import xmrun.render.TemplateChain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which runtime each container job uses: the launcher's, else the one its cluster's config names, else the one
 * the image asks for: podman (the one that needs no setup by an administrator) for a registry image, and for an
 * image file the runtime of its format (a .sif is Apptainer's, a .sqsh enroot's, a directory Charliecloud's).
 * A runtime is a template, {@code container/NAME.sh.peb}: the known ones are those the template chain has,
 * built-in or the user's own.
 */
final class ContainerRuntimes {
    static final String DEFAULT = "podman";
    /** Image files by the runtime that reads their format; any other path is taken for a directory. */
    private static final Map<String, String> BY_FILE = Map.of(".sif", "apptainer", ".simg", "apptainer", ".sqsh", "enroot",
            ".squashfs", "enroot", ".tar", "podman");
    private static final String PREFIX = "container/";
    private static final String SUFFIX = ".sh.peb";

    private ContainerRuntimes() {
    }

    /**
     * @param defaults   the cluster's config
     * @param defaultsAt where the cluster is declared in its config (for a runtime it names that has no template)
     */
    static Experiment resolve(Experiment experiment, ClusterSpec.Containers defaults, SourceRef defaultsAt, TemplateChain chain) {
        if (experiment.jobs().stream().noneMatch(j -> j.container() != null)) {
            return experiment;
        }
        TreeSet<String> known = new TreeSet<>();
        for (TemplateCatalog.Entry e : new TemplateCatalog(chain).entries()) {
            if (e.name().startsWith(PREFIX) && e.name().endsWith(SUFFIX)) {
                known.add(e.name().substring(PREFIX.length(), e.name().length() - SUFFIX.length()));
            }
        }
        List<Job> jobs = new ArrayList<>();
        for (Job job : experiment.jobs()) {
            Container c = job.container();
            if (c != null) {
                c = c.withRuntime(defaults.runtime() != null ? defaults.runtime() : forImage(c.imageRef()));
                if (!known.contains(c.runtime())) {
                    SourceRef at = job.container().runtime() != null || defaultsAt == null ? c.declaredAt() : defaultsAt;
                    throw new ScriptError(at, "unknown container runtime '" + c.runtime() + "'" + Suggest.didYouMean(c.runtime(), known)
                            + " (known: " + String.join(", ", known) + "; a runtime is a template " + PREFIX + "NAME" + SUFFIX + ")");
                }
            }
            jobs.add(c == null ? job : job.withContainer(c));
        }
        return experiment.withJobs(jobs);
    }

    private static String forImage(ImageRef ref) {
        if (!ref.isFile()) {
            return DEFAULT;
        }
        return BY_FILE.entrySet().stream().filter(e -> ref.path().endsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse("charliecloud");
    }
}
