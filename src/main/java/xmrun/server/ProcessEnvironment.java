package xmrun.server;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;

/**
 * Makes {@code System.getenv()} the served command's environment while it runs, so that a launcher reading
 * {@code System.getenv('DATA')} sees the value its user set, as in a JVM of its own. The JDK keeps the environment
 * in an unmodifiable view of a map it fills once; the server is started with
 * {@code --add-opens java.base/java.util=ALL-UNNAMED} so that the map behind the view can be refilled. Without it,
 * {@link #usable()} is false and a launcher sees the server's environment (xmrun's own code reads the request's
 * through {@link RequestEnvironment} in any case).
 */
final class ProcessEnvironment {
    private static final Map<String, String> BACKING = backing();
    private static final Map<String, String> SERVER_OWN = BACKING == null ? null : Map.copyOf(System.getenv());

    private ProcessEnvironment() {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> backing() {
        try {
            Map<String, String> view = System.getenv();
            Field m = Collections.unmodifiableMap(Map.of()).getClass().getDeclaredField("m");
            m.setAccessible(true);
            Map<String, String> inner = (Map<String, String>) m.get(view);
            inner.put("XMRUN_SERVER_PROBE", "1"); // throws if this JDK keeps it elsewhere
            inner.remove("XMRUN_SERVER_PROBE");
            return inner;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static boolean usable() {
        return BACKING != null;
    }

    /** The command's environment in, or (null) the server's own back. */
    static synchronized void use(Map<String, String> env) {
        if (BACKING != null) {
            BACKING.clear();
            BACKING.putAll(env == null ? SERVER_OWN : env);
        }
    }
}
