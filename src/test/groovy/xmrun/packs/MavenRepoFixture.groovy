package xmrun.packs

import javax.tools.ToolProvider
import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream

/** Writes a real Maven-layout repository on disk: jars with their POMs, as a lab's file repository holds them. */
class MavenRepoFixture {
    final Path root

    MavenRepoFixture(Path root) {
        this.root = root
    }

    String url() {
        root.toUri().toString()
    }

    /** @param files jar entry name -> bytes or text */
    void publish(String group, String artifact, String version, Map<String, Object> files, List<String> dependsOn = []) {
        Path dir = root.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
        Files.createDirectories(dir)
        new JarOutputStream(Files.newOutputStream(dir.resolve("$artifact-${version}.jar"))).withCloseable { jar ->
            files.each { String name, Object content ->
                jar.putNextEntry(new JarEntry(name))
                jar.write(content instanceof byte[] ? (byte[]) content : content.toString().getBytes('UTF-8'))
                jar.closeEntry()
            }
        }
        String deps = dependsOn.collect { String c ->
            def (g, a, v) = c.split(':')
            "<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
        }.join('')
        dir.resolve("$artifact-${version}.pom").toFile().text = """<?xml version="1.0" encoding="UTF-8"?>
            |<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
            |<groupId>$group</groupId><artifactId>$artifact</artifactId><version>$version</version>
            |<dependencies>$deps</dependencies></project>
            |""".stripMargin()
    }

    /** Compiles one Java source file and returns its class file bytes. */
    static byte[] compile(Path work, String className, String source) {
        Path src = work.resolve(className.replace('.', '/') + '.java')
        Files.createDirectories(src.parent)
        src.toFile().text = source
        int rc = ToolProvider.systemJavaCompiler.run(null, null, null, '--release', '17', '-d', work.resolve('classes').toString(), src.toString())
        assert rc == 0
        Files.readAllBytes(work.resolve('classes').resolve(className.replace('.', '/') + '.class'))
    }
}
