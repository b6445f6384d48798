package xmrun.app;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where xmrun keeps state ({@code XMRUN_HOME}, default {@code ~/.local/share/xmrun}) and looks for the
 * user's configuration ({@code ~/.config/xmrun}).
 */
public record XmrunHome(Path dir, Path configDir) {

    public static XmrunHome fromEnvironment(Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"));
        String xmHome = env.get("XMRUN_HOME");
        Path dir = xmHome != null && !xmHome.isBlank() ? Path.of(xmHome) : home.resolve(".local/share/xmrun");
        String xdgConfig = env.get("XDG_CONFIG_HOME");
        Path config = (xdgConfig != null && !xdgConfig.isBlank() ? Path.of(xdgConfig) : home.resolve(".config")).resolve("xmrun");
        return new XmrunHome(dir.toAbsolutePath(), config.toAbsolutePath());
    }

    public Path storeFile() {
        return dir.resolve("store.sqlite");
    }

    public Path experimentsDir() {
        return dir.resolve("experiments");
    }
}
