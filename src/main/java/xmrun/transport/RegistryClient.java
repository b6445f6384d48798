package xmrun.transport;

import groovy.json.JsonSlurper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a container registry which manifest a tag names now, through the OCI distribution API
 * (distribution-spec, "Pulling manifests": {@code HEAD /v2/NAME/manifests/TAG} answers with
 * {@code Docker-Content-Digest}), with the anonymous bearer token a public registry hands out when the first
 * answer is 401 (docker token authentication: {@code WWW-Authenticate: Bearer realm=...,service=...,scope=...}).
 * Registries on this machine's loopback are spoken to in plain HTTP, as docker does; all others in HTTPS.
 */
public final class RegistryClient {
    /** What the registry did not say, in words for the launch's output. */
    public static final class Unresolved extends Exception {
        public Unresolved(String message) {
            super(message, null, false, false);
        }
    }

    // index and list first: their digest names the image on every platform
    private static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final String DOCKER_HUB = "registry-1.docker.io";

    // made on first use: each HttpClient has a selector thread, which a launch without images never needs
    // (and which the xmrun server would keep until a garbage collection)
    private HttpClient http;

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return http;
    }

    /**
     * @param registry   the registry host[:port], or null for Docker Hub
     * @param repository as written ({@code lab/train}, or {@code ubuntu}, which Docker Hub keeps as library/ubuntu)
     * @param tag        null: latest
     * @return the manifest's digest, {@code sha256:...}
     */
    public String digest(String registry, String repository, String tag) throws Unresolved {
        String host = registry == null || registry.equals("docker.io") ? DOCKER_HUB : registry;
        String repo = host.equals(DOCKER_HUB) && !repository.contains("/") ? "library/" + repository : repository;
        URI manifest = URI.create(scheme(host) + "://" + host + "/v2/" + repo + "/manifests/" + (tag == null ? "latest" : tag));
        try {
            HttpResponse<byte[]> r = send(manifest, null);
            if (r.statusCode() == 401) {
                r = send(manifest, token(r.headers().firstValue("WWW-Authenticate").orElse(""), repo));
            }
            if (r.statusCode() != 200) {
                throw new Unresolved(host + " answered HTTP " + r.statusCode() + " for " + repo + ":" + (tag == null ? "latest" : tag));
            }
            String digest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
            return digest != null && digest.startsWith("sha256:") ? digest : "sha256:" + sha256(r.body());
        } catch (IOException e) {
            throw new Unresolved("cannot reach " + host + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unresolved("interrupted while asking " + host);
        }
    }

    private static String scheme(String host) {
        String name = host.replaceFirst(":\\d+$", "");
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]") ? "http" : "https";
    }

    private HttpResponse<byte[]> send(URI uri, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).header("Accept", ACCEPT).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An anonymous pull token from the realm the registry named. */
    private String token(String challenge, String repo) throws IOException, InterruptedException, Unresolved {
        if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unresolved("the registry wants credentials (" + challenge + "); name the image by digest to pin it");
        }
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            p.put(m.group(1), m.group(2));
        }
        String scope = p.getOrDefault("scope", "repository:" + repo + ":pull");
        URI uri = URI.create(p.get("realm") + "?scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                + (p.containsKey("service") ? "&service=" + URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8) : ""));
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Object json = r.statusCode() == 200 ? new JsonSlurper().parseText(r.body()) : null;
        Object token = json instanceof Map<?, ?> j ? (j.get("token") != null ? j.get("token") : j.get("access_token")) : null;
        if (token == null) {
            throw new Unresolved("the registry gave no anonymous pull token (HTTP " + r.statusCode() + "); name the image by digest to pin it");
        }
        return token.toString();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
