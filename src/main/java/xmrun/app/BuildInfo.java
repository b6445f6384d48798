package xmrun.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * This xmrun's version and the commit it was built from, as the build wrote them into {@code xmrun/version.properties}
 * and {@code xmrun/commit.properties}; a build that wrote none says what it knows.
 */
public record BuildInfo(String version, String commit) {
    /** The version of a build without version.properties (a build from the IDE). */
    static final String UNKNOWN_VERSION = "0.1.0";

    public static BuildInfo current() {
        Properties p = new Properties();
        for (String file : new String[]{"/xmrun/version.properties", "/xmrun/commit.properties"}) {
            try (InputStream in = BuildInfo.class.getResourceAsStream(file)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException ignored) {
                // unreadable: the fallbacks below
            }
        }
        String version = p.getProperty("version", UNKNOWN_VERSION);
        String commit = p.getProperty("commit", "unknown");
        if (Boolean.parseBoolean(p.getProperty("dirty"))) {
            commit += "-dirty";
        }
        return new BuildInfo(version.startsWith("${") ? UNKNOWN_VERSION : version, commit);
    }
}
