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
import java.util.Map;
import java.util.function.Consumer;

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

    /**
     * One searched place: a directory, a template pack's jars (pack first, then what it depends on), the texts an
     * earlier launch used (a relaunch: name -> text), or the built-ins.
     */
    public record Place(String description, Path dir, List<Path> jars, Map<String, String> texts) {
        public Place {
            jars = jars == null ? null : List.copyOf(jars);
            texts = texts == null ? null : Map.copyOf(texts);
        }

        public Place(String description, Path dir, List<Path> jars) {
            this(description, dir, jars, null);
        }

        boolean isBuiltIn() {
            return dir == null && jars == null && texts == null;
        }

        /** Where a template found here came from, for the experiment's provenance. */
        String origin() {
            if (dir != null) {
                return description + " (" + dir + ")";
            }
            return jars != null && !jars.isEmpty() ? description + " (" + jars.get(0).getFileName() + ")" : description;
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

    /** The same places, searched first for the templates an earlier launch used (a relaunch renders with those). */
    public TemplateChain withStored(String description, Map<String, String> texts) {
        List<Place> all = new ArrayList<>();
        all.add(new Place(description, null, null, texts));
        all.addAll(places);
        return new TemplateChain(List.copyOf(all));
    }

    /** @param used told of each template as it is loaded: its name, where it was found, its text */
    List<Loader<?>> loaders(Consumer<TemplateUse> used) {
        List<Loader<?>> loaders = new ArrayList<>();
        Place builtIn = places.stream().filter(Place::isBuiltIn).findFirst().orElse(new Place("built-in", null, null));
        for (Place p : places) {
            if (p.texts() != null) { // before the alias loader: a stored builtin/ template is the one used then
                loaders.add(new RecordingLoader<>(new StoredLoader(p.texts()), p.origin(), used));
            }
        }
        loaders.add(new RecordingLoader<>(new BuiltInAliasLoader(builtIn()), builtIn.origin(), used));
        for (Place p : places) {
            if (p.isBuiltIn()) {
                loaders.add(new RecordingLoader<>(builtIn(), p.origin(), used));
            } else if (p.isPack()) {
                loaders.add(new RecordingLoader<>(jarLoader(p.jars()), p.origin(), used));
            } else if (p.dir() != null && Files.isDirectory(p.dir())) {
                FileLoader files = new FileLoader(p.dir().toString());
                files.setCharset("UTF-8");
                loaders.add(new RecordingLoader<>(files, p.origin(), used));
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
            out.add(p.dir() == null ? p.description() : p.description() + " (" + p.dir() + ")");
        }
        return String.join(", ", out);
    }
}
