package xmrun.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code xmrun --version}: the version and the commit it was built from, as the build wrote them into
 * {@code xmrun/version.properties} and {@code xmrun/commit.properties}; read only when asked.
 */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        for (String file : new String[]{"/xmrun/version.properties", "/xmrun/commit.properties"}) {
            try (InputStream in = Version.class.getResourceAsStream(file)) {
                if (in != null) {
                    p.load(in);
                }
            }
        }
        return new String[]{line(p), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }

    /** {@code xmrun 0.1.0 (commit 1a2b3c4)}; a build from sources without git history says {@code unknown commit}. */
    static String line(Properties p) {
        String commit = p.getProperty("commit", "unknown");
        String built = commit.isBlank() || commit.equals("unknown") ? "unknown commit"
                : "commit " + commit + (Boolean.parseBoolean(p.getProperty("dirty")) ? ", with uncommitted changes" : "");
        return "xmrun " + p.getProperty("version", "(unknown version)") + " (" + built + ")";
    }
}
