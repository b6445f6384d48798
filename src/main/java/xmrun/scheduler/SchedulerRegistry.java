package xmrun.scheduler;

import xmrun.UserError;
import xmrun.model.Suggest;
import xmrun.scheduler.local.LocalScheduler;
import xmrun.scheduler.sge.SgeScheduler;
import xmrun.scheduler.slurm.SlurmScheduler;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one place a scheduler's name meets its adapter. Adding a scheduler means an adapter (words in,
 * argv out, output parsed), its templates under {@code templates/NAME/}, and one line here; what it
 * can do is its adapter's {@link Scheduler#capabilities()}, so the rest of xmrun never compares names.
 */
public final class SchedulerRegistry {
    /**
     * What adapters may need from where xmrun runs.
     *
     * @param xmrunHome xmrun's state directory (the local scheduler keeps its spool there)
     * @param java      the java binary running xmrun, and {@code classPath} its class path: the local scheduler starts its runner with them
     */
    public record Environment(Path xmrunHome, String java, String classPath) {
        public static Environment of(Path xmrunHome) {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            return new Environment(xmrunHome, java, System.getProperty("java.class.path"));
        }
    }

    private static final Map<String, Function<Environment, Scheduler>> ADAPTERS = new LinkedHashMap<>();

    static {
        ADAPTERS.put("local", e -> new LocalScheduler(e.xmrunHome().resolve("local"), e.java(), e.classPath()));
        ADAPTERS.put("slurm", e -> new SlurmScheduler());
        ADAPTERS.put("sge", e -> new SgeScheduler());
    }

    private SchedulerRegistry() {
    }

    /** Scheduler names, in the order users read them. */
    public static Set<String> names() {
        return ADAPTERS.keySet();
    }

    public static Scheduler create(String name, Environment environment) {
        Function<Environment, Scheduler> adapter = ADAPTERS.get(name);
        if (adapter == null) {
            throw new UserError("unknown scheduler '" + name + "'" + Suggest.didYouMean(name, names()) + " (known: "
                    + String.join(", ", names()) + ")");
        }
        return adapter.apply(environment);
    }
}
