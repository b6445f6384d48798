package xmrun.stage;

import xmrun.Failure;
import xmrun.transport.ConnectionLost;
import xmrun.transport.ExecResult;
import xmrun.transport.Transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a code tree on a cluster, content-addressed: each file's bytes go to {@code ROOT/blobs/SHA256}
 * once, ever; a tree is {@code ROOT/code/TREEHASH/}, made of hard links to blobs by one remote command.
 * A launch with unchanged code uploads nothing; a changed file uploads only itself. A blob is known to be
 * there by its name and its size: an upload cut short leaves a shorter file, which the next staging sends
 * again, while the blobs that arrived whole are kept.
 */
public final class Stager {
    /**
     * Builds ROOT/code/TREE from the manifest (lines: mode, blob hash, path). The text is fixed; the
     * root and tree hash arrive as arguments ($1, $2), so nothing the user wrote is parsed as shell.
     */
    static final String MATERIALIZE = """
            set -eu
            root=$1; tree=$2
            dest="$root/code/$tree"
            [ -e "$dest/.xmrun-complete" ] && exit 0
            tmp="$dest.partial.$$"
            rm -rf "$tmp"; mkdir -p "$tmp"
            while IFS=' ' read -r mode hash path; do
              mkdir -p "$tmp/$(dirname "$path")"
              ln -f "$root/blobs/$hash" "$tmp/$path" 2>/dev/null || cp "$root/blobs/$hash" "$tmp/$path"
              [ "$mode" = x ] && chmod +x "$tmp/$path"
            done < "$root/code/$tree.manifest"
            touch "$tmp/.xmrun-complete"
            rm -rf "$dest"; mv "$tmp" "$dest"
            """;

    /** What a staging did. */
    public record Result(String codeDir, int filesUploaded, long bytesUploaded, int filesUnchanged) {
    }

    private final Transport transport;

    public Stager(Transport transport) {
        this.transport = transport;
    }

    public static String codeDir(String root, CodeTree tree) {
        return root + "/code/" + tree.hash();
    }

    public Result stage(CodeTree tree, String root) {
        return stage(tree, root, Progress.NONE);
    }

    public Result stage(CodeTree tree, String root, Progress progress) {
        String dest = codeDir(root, tree);
        if (transport.run(List.of("test", "-e", dest + "/.xmrun-complete")).ok()) {
            return new Result(dest, 0, 0, tree.regularFiles().size());
        }
        Map<String, Long> present = presentBlobs(root);
        List<Transport.FileContent> uploads = new ArrayList<>();
        Set<String> queued = new HashSet<>();
        long bytes = 0;
        StringBuilder manifest = new StringBuilder();
        for (CodeTree.Entry e : tree.regularFiles()) { // links are not staged: their targets are paths of this machine
            manifest.append(e.executable() ? "x" : "-").append(' ').append(e.sha256()).append(' ').append(e.path()).append('\n');
            if (!Long.valueOf(e.size()).equals(present.get(e.sha256())) && queued.add(e.sha256())) {
                uploads.add(new Transport.FileContent(root + "/blobs/" + e.sha256(), read(tree, e), false));
                bytes += e.size();
            }
        }
        uploads.add(new Transport.FileContent(root + "/code/" + tree.hash() + ".manifest",
                manifest.toString().getBytes(StandardCharsets.UTF_8), false));
        long done = 0;
        long total = uploads.stream().mapToLong(f -> f.content().length).sum();
        int sent = 0;
        for (Transport.FileContent f : uploads) { // one by one, over the same connection, so progress can be told
            try {
                transport.write(List.of(f));
            } catch (ConnectionLost e) {
                throw new ConnectionLost(e.getMessage() + " after uploading " + sent + " of " + (uploads.size() - 1) + " code files;"
                        + " nothing was launched. Launch again: the files that arrived whole are kept, only the rest is sent", e);
            }
            sent++;
            done += f.content().length;
            progress.update(done, total);
        }
        ExecResult made = transport.run(List.of("sh", "-c", MATERIALIZE, "xmrun-stage", root, tree.hash()));
        if (!made.ok()) {
            throw new Failure("cannot assemble the code directory " + dest + ": " + made.stderr().strip());
        }
        return new Result(dest, uploads.size() - 1, bytes, tree.regularFiles().size() - (uploads.size() - 1));
    }

    /** Each blob there, with its size in bytes (find(1), -printf). */
    private Map<String, Long> presentBlobs(String root) {
        ExecResult ls = transport.run(List.of("find", root + "/blobs", "-maxdepth", "1", "-type", "f", "-printf", "%f %s\\n"));
        Map<String, Long> present = new HashMap<>();
        if (ls.ok()) {
            for (String line : ls.stdout().split("\n")) {
                String[] f = line.strip().split(" ");
                if (f.length == 2 && f[1].matches("\\d+")) {
                    present.put(f[0], Long.parseLong(f[1]));
                }
            }
        }
        return present;
    }

    private static byte[] read(CodeTree tree, CodeTree.Entry e) {
        try {
            return Files.readAllBytes(tree.root().resolve(e.path()));
        } catch (IOException ex) {
            throw new Failure("cannot read " + e.path() + ": " + ex.getMessage(), ex);
        }
    }
}
