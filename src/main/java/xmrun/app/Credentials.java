package xmrun.app;

import xmrun.model.Experiment;
import xmrun.model.Job;
import xmrun.model.Secret;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@code env} value is written into job scripts, data files and the experiment store; under a name that says
 * credential (a *_TOKEN, *_KEY, *PASSWORD*) it probably is one, which belongs in {@code secret}.
 */
final class Credentials {
    private Credentials() {
    }

    static List<String> warnings(Experiment experiment) {
        List<String> out = new ArrayList<>();
        Set<String> told = new LinkedHashSet<>();
        for (Job job : experiment.jobs()) {
            Set<String> names = new LinkedHashSet<>(job.env().keySet());
            names.addAll(job.sweep().envNames());
            for (String name : names) {
                if (Secret.looksLikeCredential(name) && told.add(name)) {
                    out.add(job.declaredAt() + ": warning: env '" + name + "' of job '" + job.name() + "' looks like a credential,"
                            + " and env values are written to the job script and the experiment store; use secret '" + name
                            + "' to pass it from xmrun's environment without writing it anywhere");
                }
            }
        }
        return out;
    }
}
