package xmrun.dsl

import groovy.transform.CompileStatic

import java.nio.file.Path
import java.util.function.Supplier

/**
 * The files one evaluation of a launcher reads besides the launcher itself (its sweep files), with their text as
 * read, for the experiment's provenance. For a relaunch it also answers with the texts an earlier launch read, so the
 * launcher evaluates as it did then whatever the files say now, and names the directory that stands for its code.
 */
@CompileStatic
class Sources {
    private static final ThreadLocal<Sources> CURRENT = new ThreadLocal<>()

    /** Absolute path -> text, from an earlier launch; empty: read the files. */
    private final Map<Path, String> stored
    /** Every sweep file read, in the order read, with its text. */
    final Map<Path, String> read = new LinkedHashMap<>()
    /** The directory standing for the launcher's code directory (a relaunch's snapshot), or null. */
    final Path codeDir

    Sources() {
        this([:], null)
    }

    Sources(Map<Path, String> stored, Path codeDir) {
        this.stored = new LinkedHashMap<>(stored)
        this.codeDir = codeDir
    }

    /** Runs an evaluation with this as the current sources. */
    static <T> T with(Sources sources, Supplier<T> body) {
        Sources before = CURRENT.get()
        CURRENT.set(sources)
        try {
            body.get()
        } finally {
            if (before == null) {
                CURRENT.remove()
            } else {
                CURRENT.set(before)
            }
        }
    }

    /** The current evaluation's sources, or null outside one. */
    static Sources current() {
        CURRENT.get()
    }

    /** An earlier launch's text of this file, or null. */
    String stored(Path file) {
        stored.get(file.toAbsolutePath().normalize())
    }

    void record(Path file, String text) {
        read.put(file.toAbsolutePath().normalize(), text)
    }
}
