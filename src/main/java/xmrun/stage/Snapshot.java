package xmrun.stage;

import xmrun.Failure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A code tree frozen on this machine, laid out as {@link Stager} lays it out on a remote cluster: each file's bytes
 * copied once to {@code ROOT/blobs/SHA256} (read-only), the tree {@code ROOT/code/TREEHASH/} made of hard links to
 * them (copies where the file system has no hard links). Work units run the snapshot, so a file edited or deleted
 * after the launch changes nothing for them, queued or retried; unchanged files cost no new copy.
 */
public final class Snapshot {
    private Snapshot() {
    }

    /** What taking a snapshot did: the directory, and how many files were new to the blob store. */
    public record Result(Path codeDir, int filesCopied, long bytesCopied, int filesUnchanged) {
    }

    public static Path codeDir(Path root, CodeTree tree) {
        return root.resolve("code").resolve(tree.hash());
    }

    /** Copies what the blob store lacks, then links the tree; nothing is done when the tree is already complete. */
    public static Result take(CodeTree tree, Path root) {
        Path dest = codeDir(root, tree);
        if (Files.exists(dest.resolve(CodeTree.COMPLETE))) {
            return new Result(dest, 0, 0, tree.files().size());
        }
        try {
            Path blobs = Files.createDirectories(root.resolve("blobs"));
            int copied = 0;
            long bytes = 0;
            for (CodeTree.Entry e : tree.regularFiles()) {
                if (!Files.exists(blobs.resolve(e.sha256()))) {
                    copyBlob(tree.root().resolve(e.path()), blobs, e);
                    copied++;
                    bytes += e.size();
                }
            }
            link(tree, blobs, dest);
            return new Result(dest, copied, bytes, tree.regularFiles().size() - copied);
        } catch (IOException e) {
            throw new Failure("cannot take a snapshot of " + tree.root() + " in " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies a file to a temporary name while hashing the bytes copied, and names it by that hash only if it is the
     * one scanned: a file rewritten since the scan would otherwise sit under another file's name.
     */
    private static void copyBlob(Path source, Path blobs, CodeTree.Entry e) throws IOException {
        Path tmp = Files.createTempFile(blobs, ".tmp-", "");
        try {
            MessageDigest d = CodeTree.digest();
            try (InputStream in = Files.newInputStream(source); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (!HexFormat.of().formatHex(d.digest()).equals(e.sha256())) {
                throw new Failure(source + " changed while its snapshot was taken; launch again (a file that changes all"
                        + " the time, a log say, is no code: leave it out with ignore '" + e.path() + "')");
            }
            // read-only: a program that opened a file of its snapshot for writing would change every snapshot sharing it
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(e.executable() ? "r-xr-xr-x" : "r--r--r--"));
            try {
                Files.move(tmp, blobs.resolve(e.sha256()), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException ignored) {
                // another launch stored the same bytes first
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Builds the tree under a temporary name and renames it into place, marked complete: a reader sees all or nothing. */
    private static void link(CodeTree tree, Path blobs, Path dest) throws IOException {
        Files.createDirectories(dest.getParent());
        Path tmp = Files.createTempDirectory(dest.getParent(), dest.getFileName() + ".partial.");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // as mkdir makes it, not 0700
        try {
            for (CodeTree.Entry e : tree.files()) {
                Path target = tmp.resolve(e.path());
                Files.createDirectories(target.getParent());
                if (e.isLink()) {
                    Files.createSymbolicLink(target, Path.of(e.link())); // pointing where it pointed, as written
                    continue;
                }
                Path blob = blobs.resolve(e.sha256());
                try {
                    Files.createLink(target, blob);
                } catch (UnsupportedOperationException | FileSystemException noLinks) {
                    Files.copy(blob, target);
                }
                if (e.executable() && !Files.isExecutable(target)) {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
                }
            }
            Files.createFile(tmp.resolve(CodeTree.COMPLETE));
            deleteTree(dest); // a tree left without its marker by a launch that died
            try {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                if (!Files.exists(dest.resolve(CodeTree.COMPLETE))) {
                    throw raced;
                } // another launch of the same code finished first
            }
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
