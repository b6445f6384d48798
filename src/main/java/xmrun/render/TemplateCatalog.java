package xmrun.render;

import xmrun.Failure;
import xmrun.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** What {@code xmrun templates list/show} see: every template in the chain and the place it wins from. */
public final class TemplateCatalog {
    private final TemplateChain chain;

    public TemplateCatalog(TemplateChain chain) {
        this.chain = chain;
    }

    /** @param from the place it is used from, and the places further down the chain it overrides */
    public record Entry(String name, String from) {
    }

    public List<Entry> entries() {
        Map<String, List<String>> sources = new LinkedHashMap<>();
        for (TemplateChain.Place place : chain.places()) {
            for (String name : names(place)) {
                sources.computeIfAbsent(name, k -> new ArrayList<>()).add(describe(place));
            }
        }
        List<Entry> out = new ArrayList<>();
        new TreeSet<>(sources.keySet()).forEach(n -> {
            List<String> from = sources.get(n);
            out.add(new Entry(n, from.get(0) + (from.size() > 1 ? "  (overrides " + String.join(", ", from.subList(1, from.size())) + ")" : "")));
        });
        return out;
    }

    public String read(String name) {
        for (TemplateChain.Place place : chain.places()) {
            try {
                if (place.isBuiltIn() || place.isPack()) {
                    ClassLoader from = place.isPack() ? new java.net.URLClassLoader(urls(place.jars()), null)
                            : TemplateCatalog.class.getClassLoader();
                    try (InputStream in = from.getResourceAsStream(TemplateChain.BUILT_IN_PREFIX + "/" + name)) {
                        if (in != null) {
                            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }
                } else if (Files.isRegularFile(place.dir().resolve(name))) {
                    return Files.readString(place.dir().resolve(name));
                }
            } catch (IOException e) {
                throw new Failure("cannot read template " + name + ": " + e.getMessage(), e);
            }
        }
        throw new UserError("template '" + name + "' not found; searched " + chain.searched() + "; see: xmrun templates list");
    }

    private static String describe(TemplateChain.Place p) {
        return p.isBuiltIn() || p.isPack() ? p.description() : p.description() + " " + p.dir();
    }

    private static java.net.URL[] urls(List<Path> jars) throws IOException {
        java.net.URL[] urls = new java.net.URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        return urls;
    }

    private static List<String> names(TemplateChain.Place place) {
        try {
            if (place.isPack()) {
                List<String> names = new ArrayList<>();
                for (Path jar : place.jars()) {
                    names.addAll(jarNames(jar));
                }
                return names;
            }
            return place.isBuiltIn() ? builtInNames() : fileNames(place.dir());
        } catch (IOException | URISyntaxException e) {
            throw new Failure("cannot list templates in " + describe(place) + ": " + e.getMessage(), e);
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    /** Built-ins live in the jar (or target/classes when run from a build). */
    private static List<String> builtInNames() throws IOException, URISyntaxException {
        Path source = Path.of(TemplateCatalog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(source)) {
            return fileNames(source.resolve(TemplateChain.BUILT_IN_PREFIX));
        }
        return jarNames(source);
    }

    private static List<String> jarNames(Path jarFile) throws IOException {
        List<String> names = new ArrayList<>();
        String prefix = TemplateChain.BUILT_IN_PREFIX + "/";
        try (JarFile jar = new JarFile(jarFile.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                    names.add(entry.getName().substring(prefix.length()));
                }
            }
        }
        return names;
    }
}
