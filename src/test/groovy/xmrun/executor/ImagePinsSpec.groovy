package xmrun.executor

import com.sun.net.httpserver.HttpServer
import spock.lang.Specification
import spock.lang.TempDir
import xmrun.dsl.LauncherLoader
import xmrun.model.ImagePin
import xmrun.scheduler.slurm.SlurmScheduler
import xmrun.transport.LocalTransport

import java.nio.file.Files
import java.nio.file.Path

/** Pinning at launch: image files by content, registry tags through the registry's API (a stand-in registry here). */
class ImagePinsSpec extends Specification {
    static final String DIGEST = 'sha256:' + 'c0ffee' * 10 + 'abcd'

    @TempDir
    Path dir

    HttpServer registry
    List<String> requests = Collections.synchronizedList([])

    def setup() {
        // a registry as ghcr.io and Docker Hub behave: 401 with a Bearer challenge, an anonymous token, the manifest's digest
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getByName('127.0.0.1'), 0), 0)
        registry.createContext('/token') { ex ->
            requests << "token ${ex.requestURI.query}"
            reply(ex, 200, [:], '{"token":"anon-123"}')
        }
        registry.createContext('/v2/') { ex ->
            String auth = ex.requestHeaders.getFirst('Authorization')
            requests << "${ex.requestMethod} ${ex.requestURI.path} ${auth}"
            if (auth != 'Bearer anon-123') {
                reply(ex, 401, ['WWW-Authenticate': "Bearer realm=\"http://127.0.0.1:${registry.address.port}/token\",service=\"test-registry\",scope=\"repository:lab/train:pull\""], '')
            } else if (ex.requestURI.path == '/v2/lab/train/manifests/1.2') {
                reply(ex, 200, ['Docker-Content-Digest': DIGEST, 'Content-Type': 'application/vnd.oci.image.index.v1+json'], '{}')
            } else {
                reply(ex, 404, [:], '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
            }
        }
        registry.start()
    }

    def cleanup() {
        registry.stop(0)
    }

    static void reply(def ex, int code, Map<String, String> headers, String body) {
        headers.each { k, v -> ex.responseHeaders.add(k, v) }
        byte[] bytes = body.bytes
        ex.sendResponseHeaders(code, bytes.length ?: -1)
        if (bytes) {
            ex.responseBody.withCloseable { it.write(bytes) }
        }
        ex.close()
    }

    Map<String, ImagePin> pin(String image, String runtime) {
        Path launcher = dir.resolve('p.xm.groovy')
        launcher.toFile().text = "experiment('p') { job('a') { command 'true'; container { image '$image'; runtime '$runtime' } } }"
        def experiment = LauncherLoader.load(launcher, 'p.xm.groovy')
        def cluster = new Cluster('slurm', new SlurmScheduler(), new LocalTransport(), null)
        new ImagePins(cluster).resolve(experiment, dir.toString(), dir.resolve('cache').toString())
    }

    String ref(String tag) {
        "127.0.0.1:${registry.address.port}/lab/train:$tag"
    }

    def 'a registry tag is pinned to the digest the registry gives, with the anonymous token it hands out (#runtime)'() {
        when:
        ImagePin p = pin(ref('1.2'), runtime).a

        then:
        p.digest() == DIGEST
        p.image() == "127.0.0.1:${registry.address.port}/lab/train@$DIGEST"
        requests == ['GET /v2/lab/train/manifests/1.2 null', 'token scope=repository:lab/train:pull&service=test-registry',
                     'GET /v2/lab/train/manifests/1.2 Bearer anon-123']

        where:
        runtime << ['enroot', 'apptainer', 'podman'] // podman here has no such image, so it asks the registry too
    }

    def 'a tag the registry does not know leaves the image unpinned, saying why'() {
        when:
        ImagePin p = pin(ref('nope'), 'enroot').a

        then:
        !p.pinned()
        p.image() == ref('nope')
        p.note() == "not pinned: 127.0.0.1:${registry.address.port} answered HTTP 404 for lab/train:nope"
    }

    def 'an image file is pinned by its sha256 to a read-only copy, made once per content'() {
        given:
        Path image = dir.resolve('train.sqsh')
        image.toFile().text = 'version 1'

        when:
        ImagePin first = pin('train.sqsh', 'enroot').a
        long copiedAt = Files.getLastModifiedTime(Path.of(first.image())).toMillis()
        sleep(20)
        ImagePin again = pin('train.sqsh', 'enroot').a
        image.toFile().text = 'version 2'
        ImagePin changed = pin('train.sqsh', 'enroot').a

        then:
        first.digest() == 'sha256:' + 'version 1'.bytes.sha256()
        first.image() == dir.resolve("cache/sha256/${'version 1'.bytes.sha256()}/train.sqsh").toString()
        Files.readString(Path.of(first.image())) == 'version 1'
        Files.getPosixFilePermissions(Path.of(first.image())).every { !it.name().endsWith('WRITE') }
        again == first
        Files.getLastModifiedTime(Path.of(first.image())).toMillis() == copiedAt
        changed.digest() == 'sha256:' + 'version 2'.bytes.sha256()
        Files.readString(Path.of(first.image())) == 'version 1'
    }

    def 'a directory image runs as it is, unpinned, saying how to pin it'() {
        given:
        Files.createDirectories(dir.resolve('rootfs/etc'))

        when:
        ImagePin p = pin('./rootfs', 'charliecloud').a

        then:
        !p.pinned()
        p.image() == dir.resolve('rootfs').toString()
        p.note().contains('mksquashfs')
    }
}
