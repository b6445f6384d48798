package xmrun.app;

import xmrun.server.RequestEnvironment;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where xmrun keeps state ({@code XMRUN_HOME}, default {@code ~/.local/share/xmrun}) and looks for the
 * user's configuration ({@code ~/.config/xmrun}).
 */
public record XmrunHome(Path dir, Path configDir, Path clusterConfig) {

    public XmrunHome(Path dir, Path configDir) {
        this(dir, configDir, null);
    }

    public static XmrunHome fromEnvironment(Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"));
        String xmHome = env.get("XMRUN_HOME");
        Path dir = xmHome != null && !xmHome.isBlank() ? RequestEnvironment.current().path(xmHome) : home.resolve(".local/share/xmrun");
        String xdgConfig = env.get("XDG_CONFIG_HOME");
        Path config = (xdgConfig != null && !xdgConfig.isBlank() ? RequestEnvironment.current().path(xdgConfig) : home.resolve(".config")).resolve("xmrun");
        return new XmrunHome(dir.toAbsolutePath(), config.toAbsolutePath(), clusterConfig(env, config));
    }

    /**
     * XMRUN_CONFIG (which must then exist), else ~/.config/xmrun/clusters.groovy, else ./xmrun.config.groovy,
     * else none.
     */
    /**
     * The cluster config file as messages name it: as the user wrote it (XMRUN_CONFIG, or ./xmrun.config.groovy), so that
     * a served command, which resolves it against the request's directory, says the same as one in a JVM of its own.
     */
    public static String shown(Path clusterConfig) {
        RequestEnvironment request = RequestEnvironment.current();
        String typed = request.getenv("XMRUN_CONFIG");
        if (typed != null && !typed.isBlank() && request.path(typed).equals(clusterConfig)) {
            return typed;
        }
        return request.path("xmrun.config.groovy").equals(clusterConfig) ? "xmrun.config.groovy" : clusterConfig.toString();
    }

    static Path clusterConfig(Map<String, String> env, Path configDir) {
        String explicit = env.get("XMRUN_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            Path p = RequestEnvironment.current().path(explicit);
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new xmrun.UserError("XMRUN_CONFIG=" + explicit + ": no such file");
            }
            return p;
        }
        for (Path p : java.util.List.of(configDir.resolve("clusters.groovy"), RequestEnvironment.current().path("xmrun.config.groovy"))) {
            if (java.nio.file.Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public Path storeFile() {
        return dir.resolve("store.sqlite");
    }

    public Path experimentsDir() {
        return dir.resolve("experiments");
    }
}
