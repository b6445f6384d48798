package xmrun.stage;

import xmrun.Failure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A code directory as content: every file's path, SHA-256 and mode, minus ignored ones. Two trees
 * with the same content have the same {@link #hash()}, so a cluster keeps one copy of each.
 */
public record CodeTree(Path root, List<Entry> files, String hash) {
    /** Never worth shipping: version control, caches, virtual environments, xmrun's own output. */
    public static final List<String> DEFAULT_IGNORE = List.of(".git", ".hg", ".svn", "__pycache__", "*.pyc", ".venv", "venv",
            ".ipynb_checkpoints", ".mypy_cache", ".pytest_cache", "xmrun-render", "node_modules", ".xmrun-complete");

    /** The marker a finished snapshot directory holds (it is not part of the code, so it is ignored above). */
    public static final String COMPLETE = ".xmrun-complete";

    /**
     * A file, or a symbolic link ({@code link}: its target as written, and {@code sha256} that of the target's text).
     * A link is kept as a link in a snapshot on this machine (a {@code data -> /scratch/data} link goes on pointing at
     * the data); it is not staged to a cluster over SSH, where its target would mean another machine's path.
     */
    public record Entry(String path, String sha256, long size, boolean executable, String link) {
        public Entry(String path, String sha256, long size, boolean executable) {
            this(path, sha256, size, executable, null);
        }

        public boolean isLink() {
            return link != null;
        }
    }

    public long totalBytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    /** The regular files: what has bytes to copy or upload. */
    public List<Entry> regularFiles() {
        return files.stream().filter(e -> !e.isLink()).toList();
    }

    public static CodeTree scan(Path root, List<String> ignore) {
        return scan(root, ignore, List.of());
    }

    /**
     * @param excluded directories never scanned, wherever they are: xmrun's own state (XMRUN_HOME and the snapshots in
     *                 it) when it lives under the code directory, so no snapshot holds the snapshots before it
     */
    public static CodeTree scan(Path root, List<String> ignore, List<Path> excluded) {
        List<Path> skip = excluded.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        List<PathMatcher> matchers = new ArrayList<>();
        for (String pattern : concat(DEFAULT_IGNORE, ignore)) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        }
        List<Entry> entries = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    boolean skipped = !dir.equals(root) && (ignored(root.relativize(dir), matchers)
                            || skip.contains(dir.toAbsolutePath().normalize()));
                    return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path rel = root.relativize(file);
                    String path = rel.toString().replace('\\', '/');
                    if (ignored(rel, matchers)) {
                        return FileVisitResult.CONTINUE;
                    }
                    try {
                        if (attrs.isSymbolicLink()) {
                            String target = Files.readSymbolicLink(file).toString();
                            entries.add(new Entry(path, sha256(target.getBytes(StandardCharsets.UTF_8)), 0, false, target));
                        } else if (attrs.isRegularFile()) {
                            entries.add(new Entry(path, sha256(file), attrs.size(), Files.isExecutable(file)));
                        }
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // deleted while the directory was read: it is not part of the code launched
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof java.nio.file.NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while the directory was read
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new Failure("cannot read the code directory " + root + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(Entry::path));
        return new CodeTree(root, List.copyOf(entries), treeHash(entries));
    }

    /** A pattern matches the path relative to the code dir, or any single name in it ('.git' anywhere). */
    private static boolean ignored(Path rel, List<PathMatcher> matchers) {
        for (PathMatcher m : matchers) {
            if (m.matches(rel) || m.matches(rel.getFileName())) {
                return true;
            }
        }
        return false;
    }

    /** A tree as a manifest lists it (a snapshot taken earlier), rooted at {@code root}. */
    public static CodeTree of(Path root, List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::path));
        return new CodeTree(root, List.copyOf(sorted), treeHash(sorted));
    }

    private static String treeHash(List<Entry> entries) {
        MessageDigest d = digest();
        for (Entry e : entries) {
            d.update((e.path() + "\0" + e.sha256() + "\0" + (e.isLink() ? "l" : e.executable() ? "x" : "-") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
