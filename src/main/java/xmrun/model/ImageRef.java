package xmrun.model;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image as the launcher names it: a file (or, for Charliecloud, a directory) on the cluster, or
 * a reference to an image in a registry.
 *
 * <ul>
 *   <li>A path starting with {@code /}, {@code ./}, {@code ../} or {@code ~/}, or ending in an image file's
 *       extension ({@code .sif .simg .sqsh .squashfs .tar}), is a file; a relative one is relative to the code
 *       directory, where work units start (and which is staged to remote clusters with the image in it).</li>
 *   <li>{@code docker://REF} and anything else is a registry reference
 *       {@code [REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST]} (the docker image reference grammar); REGISTRY is the
 *       first component when it has a '.' or a ':' or is {@code localhost}.</li>
 *   <li>Other transports ({@code library://}, {@code oras://}) are kept as written for the runtimes that know them.</li>
 * </ul>
 *
 * @param name       for a registry reference: {@code [REGISTRY/]REPOSITORY} as written, without transport, tag or digest
 * @param tag        null when none was written
 * @param digest     {@code sha256:...} when the reference already pins one, else null
 */
public record ImageRef(String text, Kind kind, String path, String name, String tag, String digest) {
    public enum Kind { FILE, REGISTRY, OTHER }

    private static final List<String> FILE_EXTENSIONS = List.of(".sif", ".simg", ".sqsh", ".squashfs", ".tar");
    // docker/distribution reference grammar, simplified: lower-case path components, tag, sha256 digest
    private static final Pattern REFERENCE = Pattern.compile(
            "((?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*)"
                    + "(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?");

    public static ImageRef parse(String text) {
        if (text.startsWith("/") || text.startsWith("./") || text.startsWith("../") || text.startsWith("~/")
                || FILE_EXTENSIONS.stream().anyMatch(text::endsWith)) {
            return new ImageRef(text, Kind.FILE, text, null, null, null);
        }
        String ref = text.startsWith("docker://") ? text.substring("docker://".length()) : text;
        if (ref.contains("://")) {
            return new ImageRef(text, Kind.OTHER, null, null, null, null);
        }
        Matcher m = REFERENCE.matcher(ref);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is neither an image file (a path, or a name ending in "
                    + String.join(" ", FILE_EXTENSIONS) + ") nor a registry reference like ghcr.io/lab/train:1.2");
        }
        return new ImageRef(text, Kind.REGISTRY, null, m.group(1), m.group(2), m.group(3));
    }

    /** A registry reference without its {@code docker://}; anything else as written. */
    public String plain() {
        return kind == Kind.REGISTRY && text.startsWith("docker://") ? text.substring("docker://".length()) : text;
    }

    public boolean isFile() {
        return kind == Kind.FILE;
    }

    /** The registry host, or null for a short name ({@code ubuntu:22.04}) that the runtime completes itself. */
    public String registry() {
        if (name == null || !name.contains("/")) {
            return null;
        }
        String first = name.substring(0, name.indexOf('/'));
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : null;
    }

    /** The repository within the registry ({@code lab/train}). */
    public String repository() {
        String registry = registry();
        return registry == null ? name : name.substring(registry.length() + 1);
    }
}
