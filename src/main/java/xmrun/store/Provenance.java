package xmrun.store;

import java.util.List;

/**
 * What an experiment ran, recorded at its launch (the store's provenance table; the lists are the tables beside it).
 *
 * @param codeDir       the code directory as launched
 * @param codeTree      the digest of the code: every file's path, sha256 and mode (tree_files lists them)
 * @param codeSnapshot  the snapshot of the code on the machine that launched it
 * @param codeRun       where work units started: the snapshot, or its copy on a cluster reached over SSH
 * @param clusterHost   user@host:port of a cluster reached over SSH, else null
 * @param gitCommit     HEAD of the code's git work tree (null outside one, and with no commit yet)
 * @param gitDirty      whether the code directory had changes not committed (null outside a work tree)
 * @param gitPrefix     the code directory relative to the work tree's top
 * @param gitDiffSha256 the changes against the commit, as one patch in blobs (null when clean)
 * @param relaunchOf    the experiment this one was relaunched from, or null
 */
public record Provenance(String xmrunVersion, String xmrunCommit, String user, String host, String scheduler, String schedulerVersion,
                         String clusterHost, String codeDir, String codeTree, String codeSnapshot, String codeRun, String gitCommit,
                         String gitBranch, Boolean gitDirty, String gitPrefix, String gitDiffSha256, Long relaunchOf) {

    /** A launcher ({@code kind} launcher) or a sweep file it read (sweep), by absolute path; its text is in blobs. */
    public record Source(String kind, String path, String sha256) {
    }

    /** A template the scripts were rendered from, where it was found; its text is in blobs. */
    public record Template(String name, String origin, String sha256) {
    }

    /** A template pack's or an @Grab's jar ({@code kind} pack or grab); jar and sha256 null when it could not be found. */
    public record Artifact(String kind, String coordinate, String jar, String sha256) {
    }

    /** A file the launch wrote into the work dir (scripts, data files), relative to it; its bytes are in blobs. */
    public record File(String path, String sha256, boolean executable) {
    }

    /** A file of a code tree; a symbolic link has its target in {@code link} (and the target text's sha256). */
    public record TreeFile(String path, String sha256, long size, boolean executable, String link) {
        public TreeFile(String path, String sha256, long size, boolean executable) {
            this(path, sha256, size, executable, null);
        }
    }

    /** Everything a launch records of itself, with the texts and files the lists name (sha256 -> bytes). */
    public record Record(Provenance provenance, List<Source> sources, List<Template> templates, List<Artifact> artifacts,
                         List<File> files, List<TreeFile> tree, java.util.Map<String, byte[]> blobs) {
    }
}
