package xmrun.packs;

import groovy.grape.Grape;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The libraries a launcher {@code @Grab}s, for its experiment's provenance: each coordinate as written, and the jar
 * files Grape resolved it to (the launcher was compiled just before, so they are in Grape's cache): the coordinate's own
 * jar first, then those of what it depends on.
 */
public final class Grabs {
    private static final Pattern GRAB = Pattern.compile("@Grab\\s*\\(([^)]*)\\)");
    private static final Pattern SHORT = Pattern.compile("^\\s*(?:value\\s*=\\s*)?['\"]([^'\"]+)['\"]\\s*$");
    private static final Pattern NAMED = Pattern.compile("(group|module|version|classifier)\\s*=\\s*['\"]([^'\"]*)['\"]");

    private Grabs() {
    }

    /** {@code group:module:version} of each @Grab in the text, in order, once each. */
    public static List<String> coordinates(String source) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = GRAB.matcher(source);
        while (m.find()) {
            Matcher s = SHORT.matcher(m.group(1));
            if (s.matches()) {
                out.add(s.group(1));
                continue;
            }
            Map<String, String> named = new HashMap<>();
            Matcher n = NAMED.matcher(m.group(1));
            while (n.find()) {
                named.put(n.group(1), n.group(2));
            }
            if (named.containsKey("module")) {
                out.add(named.getOrDefault("group", "") + ":" + named.get("module") + ":" + named.getOrDefault("version", "*")
                        + (named.containsKey("classifier") ? ":" + named.get("classifier") : ""));
            }
        }
        return List.copyOf(out);
    }

    /** The jars Grape has for a coordinate, itself first, from its cache only; empty when it cannot tell. */
    public static List<Path> jars(String coordinate) {
        String[] p = coordinate.split(";")[0].split(":");
        if (p.length < 3) {
            return List.of();
        }
        Map<String, Object> dep = new HashMap<>(Map.of("group", p[0], "module", p[1], "version", p[2]));
        if (p.length > 3) {
            dep.put("classifier", p[3]);
        }
        try {
            // Grape wants a Groovy class loader to resolve for (it adds nothing to it here). Resolved while the launcher
            // compiled, the coordinate is answered from Grape's cache; Grape's cache-only mode needs a resolver named
            // cachedGrapes that the configured repositories do not define
            Map<String, Object> args = new HashMap<>(Map.of("classLoader", new groovy.lang.GroovyClassLoader()));
            URI[] uris = Grape.resolve(args, dep);
            List<Path> jars = new ArrayList<>();
            for (URI u : uris) {
                if ("file".equals(u.getScheme())) {
                    jars.add(Path.of(u));
                }
            }
            return jars;
        } catch (RuntimeException e) {
            return List.of(); // not in the cache: recorded without its jars
        }
    }
}
