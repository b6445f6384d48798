package xmrun.executor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where secret values come from: xmrun's own environment, read when a job is submitted (a launch, a resume, a retry,
 * each in the xmrun process doing it). The values go into the environment of the submit command and nowhere else.
 */
public final class Secrets {
    private final Map<String, String> environment;

    public Secrets(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** This process's environment. */
    public static Secrets ofProcess() {
        return new Secrets(System.getenv());
    }

    /** The names this environment does not have, in the order given. */
    public List<String> missing(Collection<String> names) {
        return names.stream().filter(n -> !environment.containsKey(n)).toList();
    }

    /** The values of these names, for a submit command's environment. */
    public Map<String, String> values(Collection<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            String v = environment.get(n);
            if (v == null) {
                // checked before anything is submitted (LaunchService, StatusService): reaching here is a bug
                throw new IllegalStateException("secret " + n + " is not set");
            }
            out.put(n, v);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Secrets" + environment.keySet().stream().sorted().toList(); // names only, should it ever be printed
    }
}
