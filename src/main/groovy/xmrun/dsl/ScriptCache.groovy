package xmrun.dsl

import groovy.transform.CompileStatic
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.tools.GroovyClass

import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.security.MessageDigest

/**
 * Compiled launchers, config and sweep files, kept by the hash of their text: running the same
 * launcher again skips Groovy's parser and compiler, most of a launch's start-up. A changed file, or
 * another build of xmrun, has another hash. Files using @Grab are always compiled (Grape works while
 * compiling).
 */
@CompileStatic
class ScriptCache {
    /** Where compiled scripts are kept; null: nothing is cached (set by the CLI from XMRUN_HOME). */
    static Path directory

    static Class<? extends Script> load(String source, String className, CompilerConfiguration config, GroovyClassLoader loader) {
        if (directory == null || source.contains('@Grab')) {
            return compile(source, className, config, loader, null)
        }
        Path entry = directory.resolve(key(source, className, config))
        if (Files.isDirectory(entry)) {
            try {
                return define(entry, className, loader)
            } catch (IOException | LinkageError ignored) {
                // an unreadable or stale entry: compile again and replace it
            }
        }
        compile(source, className, config, loader, entry)
    }

    private static Class<? extends Script> compile(String source, String className, CompilerConfiguration config,
                                                   GroovyClassLoader loader, Path entry) {
        CompilationUnit unit = new CompilationUnit(config, null, loader)
        unit.addSource(className, source)
        unit.compile(Phases.CLASS_GENERATION)
        Class<? extends Script> script = null
        for (GroovyClass c : (List<GroovyClass>) unit.classes) {
            Class<?> defined = loader.defineClass(c.name, c.bytes)
            if (c.name == className) {
                script = (Class<? extends Script>) defined
            }
        }
        if (entry != null) {
            store(entry, (List<GroovyClass>) unit.classes)
        }
        script
    }

    private static Class<? extends Script> define(Path entry, String className, GroovyClassLoader loader) {
        Class<? extends Script> script = null
        Files.list(entry).withCloseable { files ->
            files.sorted().forEach { Path f ->
                String name = f.fileName.toString() - '.class'
                Class<?> defined = loader.defineClass(name, Files.readAllBytes(f))
                if (name == className) {
                    script = (Class<? extends Script>) defined
                }
            }
        }
        if (script == null) {
            throw new IOException("no $className in $entry")
        }
        script
    }

    /** Written to a temporary directory and renamed: a reader sees a whole entry or none. */
    private static void store(Path entry, List<GroovyClass> classes) {
        try {
            Files.createDirectories(entry.parent)
            Path tmp = Files.createTempDirectory(entry.parent, '.tmp-')
            for (GroovyClass c : classes) {
                Files.write(tmp.resolve(c.name + '.class'), c.bytes)
            }
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE)
            } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException ignored) {
                tmp.toFile().deleteDir() // another xmrun stored the same entry first
            }
        } catch (IOException ignored) {
            // a cache that cannot be written only costs speed
        }
    }

    /** Source, class name, base class and this build of xmrun (its jar's size and time). */
    static String key(String source, String className, CompilerConfiguration config) {
        MessageDigest d = MessageDigest.getInstance('SHA-256')
        d.update("${className}\u0000${config.scriptBaseClass}\u0000${build()}\u0000".getBytes('UTF-8'))
        d.update(source.getBytes('UTF-8'))
        d.digest().encodeHex().toString()
    }

    private static String buildStamp

    private static String build() {
        if (buildStamp == null) {
            File code = new File(ScriptCache.protectionDomain.codeSource.location.toURI())
            // a jar: its size and time; a build's classes directory: the time this class was compiled
            buildStamp = code.isFile() ? "${code.length()}-${code.lastModified()}"
                    : 'classes-' + new File(code, 'xmrun/dsl/ScriptCache.class').lastModified()
        }
        buildStamp
    }
}
