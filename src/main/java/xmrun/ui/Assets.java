package xmrun.ui;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * The page and what it loads, all from the jar: the dashboard works on a machine without internet. The
 * charting library is uPlot (MIT licence, served beside it), from its WebJar on the class path.
 */
final class Assets {
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/";

    /** Name in the URL -> class path resource and its type; nothing else is served. */
    private static final Map<String, String[]> FILES = Map.of(
            "app.js", new String[]{"xmrun/ui/app.js", "text/javascript; charset=utf-8"},
            "app.css", new String[]{"xmrun/ui/app.css", "text/css; charset=utf-8"},
            "uPlot.js", new String[]{UPLOT + "dist/uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "uPlot.css", new String[]{UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8"},
            "uPlot-LICENSE.txt", new String[]{UPLOT + "LICENSE", "text/plain; charset=utf-8"});

    private Assets() {
    }

    static void page(HttpExchange ex) throws IOException {
        Http.send(ex, 200, "text/html; charset=utf-8", read("xmrun/ui/index.html"));
    }

    /** @return false when there is no such file */
    static boolean serve(HttpExchange ex, String name) throws IOException {
        String[] file = FILES.get(name);
        if (file == null) {
            return false;
        }
        Http.send(ex, 200, file[1], read(file[0]));
        return true;
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing from the jar: " + resource);
            }
            return in.readAllBytes();
        }
    }

    /** The WebJar's own version, so that its path follows the dependency's version in the pom. */
    private static String uplotVersion() {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "missing");
        } catch (IOException e) {
            return "missing";
        }
    }
}
