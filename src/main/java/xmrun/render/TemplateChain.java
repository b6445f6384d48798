package xmrun.render;

import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where templates are looked up, first match wins: the launcher's {@code templates/}, the user's
 * {@code ~/.config/xmrun/templates}, then the built-ins shipped in the jar. A template earlier in the
 * chain can {@code {% extends %}} one later in it.
 */
public record TemplateChain(List<Place> places) {

    /** One searched place, named the way messages and {@code templates list} show it. */
    public record Place(String description, Path dir) {
        boolean isBuiltIn() {
            return dir == null;
        }
    }

    public static final String BUILT_IN_PREFIX = "templates";

    public static TemplateChain forLauncher(Path launcherDir, Path userConfigDir) {
        List<Place> places = new ArrayList<>();
        if (launcherDir != null) {
            places.add(new Place("launcher", launcherDir.resolve("templates")));
        }
        places.add(new Place("user", userConfigDir.resolve("templates")));
        places.add(new Place("built-in", null));
        return new TemplateChain(List.copyOf(places));
    }

    List<Loader<?>> loaders() {
        List<Loader<?>> loaders = new ArrayList<>();
        for (Place p : places) {
            if (p.isBuiltIn()) {
                ClasspathLoader builtIn = new ClasspathLoader(TemplateChain.class.getClassLoader());
                builtIn.setPrefix(BUILT_IN_PREFIX);
                builtIn.setCharset("UTF-8");
                loaders.add(builtIn);
            } else if (Files.isDirectory(p.dir())) {
                FileLoader files = new FileLoader(p.dir().toString());
                files.setCharset("UTF-8");
                loaders.add(files);
            }
        }
        return loaders;
    }

    /** For messages: "launcher (/x/templates), user (~/.config/xmrun/templates), built-in". */
    public String searched() {
        List<String> out = new ArrayList<>();
        for (Place p : places) {
            out.add(p.isBuiltIn() ? p.description() : p.description() + " (" + p.dir() + ")");
        }
        return String.join(", ", out);
    }
}
