package xmrun.render;

import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where templates are looked up, first match wins: the launcher's {@code templates/}, the user's
 * {@code ~/.config/xmrun/templates}, template packs in the order named, then the built-ins shipped in
 * the jar. A template can {@code {% extends "builtin/slurm/job.sh.peb" %}} to change one block of a
 * built-in one instead of copying it.
 */
public record TemplateChain(List<Place> places) {
    public static final String BUILT_IN_PREFIX = "templates";
    /** Names starting with this always mean the built-in template, wherever they are used from. */
    public static final String BUILT_IN_ALIAS = "builtin/";

    /** One searched place: a directory, a template pack's jars (pack first, then what it depends on), or the built-ins. */
    public record Place(String description, Path dir, List<Path> jars) {
        public Place {
            jars = jars == null ? null : List.copyOf(jars);
        }

        boolean isBuiltIn() {
            return dir == null && jars == null;
        }

        boolean isPack() {
            return jars != null;
        }

        static Place directory(String description, Path dir) {
            return new Place(description, dir, null);
        }
    }

    public static TemplateChain forLauncher(Path launcherDir, Path userConfigDir) {
        return forLauncher(launcherDir, userConfigDir, List.of());
    }

    public static TemplateChain forLauncher(Path launcherDir, Path userConfigDir, List<Place> packs) {
        List<Place> places = new ArrayList<>();
        if (launcherDir != null) {
            places.add(Place.directory("launcher", launcherDir.resolve("templates")));
        }
        places.add(Place.directory("user", userConfigDir.resolve("templates")));
        places.addAll(packs);
        places.add(new Place("built-in", null, null));
        return new TemplateChain(List.copyOf(places));
    }

    List<Loader<?>> loaders() {
        List<Loader<?>> loaders = new ArrayList<>();
        loaders.add(new BuiltInAliasLoader(builtIn()));
        for (Place p : places) {
            if (p.isBuiltIn()) {
                loaders.add(builtIn());
            } else if (p.isPack()) {
                loaders.add(jarLoader(p.jars()));
            } else if (Files.isDirectory(p.dir())) {
                FileLoader files = new FileLoader(p.dir().toString());
                files.setCharset("UTF-8");
                loaders.add(files);
            }
        }
        return loaders;
    }

    static ClasspathLoader builtIn() {
        ClasspathLoader builtIn = new ClasspathLoader(TemplateChain.class.getClassLoader());
        builtIn.setPrefix(BUILT_IN_PREFIX);
        builtIn.setCharset("UTF-8");
        return builtIn;
    }

    /** A pack's templates live under templates/ in its jar and in the jars it depends on. */
    static ClasspathLoader jarLoader(List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }
        ClasspathLoader loader = new ClasspathLoader(new URLClassLoader(urls.toArray(URL[]::new), null));
        loader.setPrefix(BUILT_IN_PREFIX);
        loader.setCharset("UTF-8");
        return loader;
    }

    /** For messages: "launcher (/x/templates), user (~/.config/xmrun/templates), pack g:a:v, built-in". */
    public String searched() {
        List<String> out = new ArrayList<>();
        for (Place p : places) {
            out.add(p.isBuiltIn() || p.isPack() ? p.description() : p.description() + " (" + p.dir() + ")");
        }
        return String.join(", ", out);
    }
}
