package xmrun.model;

import java.util.List;
import java.util.Locale;

/**
 * {@code group('rl') { job('learner') { }; job('actor') { } }}: jobs whose work units start together, one
 * of each member per sweep point (a Slurm heterogeneous job). The members share the group's sweep and
 * its {@code after}; each learns where the others run from {@code XM_HOST_<JOB>}.
 *
 * @param members the member jobs' names, in the launcher's order (component I of a heterogeneous job is member I)
 */
public record Group(String name, List<String> members, SourceRef declaredAt) {
    public Group {
        members = List.copyOf(members);
    }

    public int indexOf(String job) {
        return members.indexOf(job);
    }

    /** {@code XM_HOST_<JOB>}: the job's name upper-cased, anything but letters and digits made '_'. */
    public static String hostVariable(String job) {
        return "XM_HOST_" + job.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }
}
