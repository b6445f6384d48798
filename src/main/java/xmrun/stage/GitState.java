package xmrun.stage;

import xmrun.Failure;
import xmrun.transport.ExecResult;
import xmrun.transport.LocalTransport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What git says of a code directory in a work tree: the commit checked out, the branch, whether the directory has
 * changes not committed, and those changes as one patch (untracked files included) that {@code git apply} puts on
 * the commit to give the code as launched. Nothing of the user's repository is written: untracked files enter the
 * patch through a throw-away copy of the index ({@code git add -N}, gitglossary(7) "intent to add"), and what git
 * writes meanwhile goes to a throw-away object directory that reads the repository's through
 * GIT_ALTERNATE_OBJECT_DIRECTORIES (git(1), "The Git Repository").
 *
 * @param commit  HEAD's commit, or null in a repository without commits
 * @param branch  the branch checked out, or null (detached HEAD)
 * @param prefix  the code directory relative to the work tree's top ("" at the top, else ending in /)
 * @param diff    the changes under the code directory against HEAD, paths relative to the top; "" when clean
 */
public record GitState(String commit, String branch, boolean dirty, String prefix, String diff) {

    /** The state of {@code codeDir}, or null when it is not in a git work tree (or git is not installed). */
    public static GitState of(Path codeDir, LocalTransport local) {
        try {
            ExecResult where = local.run(git(codeDir, "rev-parse", "--show-toplevel", "--show-prefix", "--git-path", "index",
                    "--git-path", "objects"));
            if (!where.ok()) {
                return null;
            }
            List<String> lines = where.stdout().lines().toList();
            if (lines.size() < 4) {
                return null;
            }
            Path top = Path.of(lines.get(0));
            String prefix = lines.get(1);
            Path index = codeDir.resolve(lines.get(2));
            Path objects = codeDir.resolve(lines.get(3)).toAbsolutePath().normalize();
            return read(top, prefix, index, objects, local);
        } catch (Failure e) {
            return null; // no git here: nothing to say
        }
    }

    private static GitState read(Path top, String prefix, Path index, Path objects, LocalTransport local) {
        String pathspec = prefix.isEmpty() ? "." : prefix;
        ExecResult status = local.run(git(top, "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", "--", pathspec));
        if (!status.ok()) {
            throw new Failure("git status in " + top + ": " + status.stderr().strip());
        }
        String commit = null;
        String branch = null;
        boolean dirty = false;
        List<String> untracked = new ArrayList<>();
        String[] records = status.stdout().split("\0");
        for (int i = 0; i < records.length; i++) {
            String r = records[i];
            if (r.startsWith("# branch.oid ")) {
                commit = r.substring(13).equals("(initial)") ? null : r.substring(13);
            } else if (r.startsWith("# branch.head ")) {
                branch = r.substring(14).equals("(detached)") ? null : r.substring(14);
            } else if (r.startsWith("? ")) {
                untracked.add(r.substring(2));
                dirty = true;
            } else if (r.startsWith("2 ")) {
                dirty = true;
                i++; // a rename or copy: its original path is the next record
            } else if (!r.isEmpty() && !r.startsWith("#")) {
                dirty = true;
            }
        }
        String diff = dirty && commit != null ? diff(top, pathspec, index, objects, untracked, local) : "";
        return new GitState(commit, branch, dirty, prefix, diff);
    }

    /** {@code git diff HEAD} of the code directory, with untracked files as new files, through a copy of the index. */
    private static String diff(Path top, String pathspec, Path index, Path objects, List<String> untracked, LocalTransport local) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("xmrun-git-");
            Path copy = scratch.resolve("index");
            Path written = Files.createDirectory(scratch.resolve("objects"));
            if (Files.exists(index)) {
                // with its time: git trusts an entry's stat data only when older than the index file ("racy git"), so a
                // copy with a new time would hide a file changed in the same second as the index was written
                Files.copy(index, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            } // else git makes a new index where none exists
            Map<String, String> env = Map.of("GIT_INDEX_FILE", copy.toString(), "GIT_OBJECT_DIRECTORY", written.toString(),
                    "GIT_ALTERNATE_OBJECT_DIRECTORIES", objects.toString());
            if (!untracked.isEmpty()) {
                List<String> add = new ArrayList<>(git(top, "add", "--intent-to-add", "--"));
                add.addAll(untracked);
                ExecResult added = local.run(add, env);
                if (!added.ok()) {
                    throw new Failure("git add -N in " + top + ": " + added.stderr().strip());
                }
            }
            // the patch format fixed against the user's config: prefixes a/ b/, no external diff or text conversion
            ExecResult d = local.run(git(top, "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff", "--no-textconv",
                    "--src-prefix=a/", "--dst-prefix=b/", "--", pathspec), env);
            if (!d.ok()) {
                throw new Failure("git diff in " + top + ": " + d.stderr().strip());
            }
            return d.stdout();
        } catch (IOException e) {
            throw new Failure("cannot copy the git index " + index + " to a temporary directory: " + e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    /** {@code git -C DIR --no-optional-locks ...}: a status does not rewrite the user's index as a side effect. */
    private static List<String> git(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString(), "--no-optional-locks", "-c", "core.quotepath=off"));
        argv.addAll(List.of(args));
        return argv;
    }
}
