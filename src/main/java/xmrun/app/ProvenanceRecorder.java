package xmrun.app;

import xmrun.executor.Cluster;
import xmrun.executor.Staging;
import xmrun.packs.Grabs;
import xmrun.render.ScriptFile;
import xmrun.render.TemplateUse;
import xmrun.stage.CodeTree;
import xmrun.stage.GitState;
import xmrun.store.Provenance;
import xmrun.transport.ExecResult;
import xmrun.transport.LocalTransport;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers what an experiment ran, at its launch: this xmrun, the launcher and sweep files as read, the code (its
 * digest and snapshot, and what git says of it), the templates the scripts came from, the jars of packs and @Grabs,
 * the cluster and its scheduler's version, who launched it where; and the files written into the work dir, so that
 * {@code xmrun render EXP} gives them back byte for byte. What is slow to ask (git, the scheduler) is asked when this
 * is made, before the experiment is recorded.
 */
final class ProvenanceRecorder {
    private final LaunchService.Prepared prepared;
    private final Cluster cluster;
    private final Staging staging;
    private final GitState git;
    private final String schedulerVersion;

    ProvenanceRecorder(LaunchService.Prepared prepared, Cluster cluster, Staging staging) {
        this.prepared = prepared;
        this.cluster = cluster;
        this.staging = staging;
        // a relaunch runs a snapshot, which is in no work tree: what git said then is what it runs
        this.git = prepared.frozen() != null ? null : GitState.of(prepared.experiment().codeDir(), new LocalTransport());
        this.schedulerVersion = schedulerVersion(cluster);
    }

    private static String schedulerVersion(Cluster cluster) {
        List<String> command = cluster.scheduler().versionCommand();
        if (command == null) {
            return "xmrun " + BuildInfo.current().version();
        }
        try {
            ExecResult r = cluster.transport().run(command);
            return cluster.scheduler().version(r);
        } catch (xmrun.Failure e) {
            return null; // recorded as unknown; the launch itself will say what is wrong with the cluster
        }
    }

    /** Everything to record, given the files the launch wrote into the work dir. */
    Provenance.Record record(List<ScriptFile> written) {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        List<Provenance.Source> sources = new ArrayList<>();
        sources.add(new Provenance.Source("launcher", prepared.experiment().launcher().toString(), keep(blobs, prepared.source())));
        prepared.sweepFiles().forEach((path, text) -> sources.add(new Provenance.Source("sweep", path.toString(), keep(blobs, text))));
        List<Provenance.Template> templates = new ArrayList<>();
        java.util.Set<String> named = new java.util.HashSet<>();
        for (LaunchService.Prepared each : prepared.each()) { // of a launch on several clusters, every candidate's
            for (TemplateUse t : each.renderer().templatesUsed()) {
                if (named.add(t.name())) {
                    templates.add(new Provenance.Template(t.name(), t.origin(), keep(blobs, t.text())));
                }
            }
        }
        List<Provenance.File> files = new ArrayList<>();
        for (ScriptFile f : written) {
            files.add(new Provenance.File(f.relativePath(), keep(blobs, f.content()), f.executable()));
        }
        CodeTree tree = staging.tree();
        List<Provenance.TreeFile> treeFiles = tree.files().stream()
                .map(e -> new Provenance.TreeFile(e.path(), e.sha256(), e.size(), e.executable(), e.link())).toList();
        return new Provenance.Record(provenance(tree, blobs), sources, templates, artifacts(), files, treeFiles, blobs);
    }

    private Provenance provenance(CodeTree tree, Map<String, byte[]> blobs) {
        BuildInfo build = BuildInfo.current();
        Frozen frozen = prepared.frozen();
        Provenance was = frozen == null ? null : frozen.provenance();
        String codeDir = was != null ? was.codeDir() : prepared.experiment().codeDir().toString();
        String gitCommit = was != null ? was.gitCommit() : git == null ? null : git.commit();
        String gitBranch = was != null ? was.gitBranch() : git == null ? null : git.branch();
        Boolean gitDirty = was != null ? was.gitDirty() : git == null ? null : git.dirty();
        String gitPrefix = was != null ? was.gitPrefix() : git == null ? null : git.prefix();
        // a relaunch names the patch its original stored (the same store keeps it)
        String diffSha = was != null ? was.gitDiffSha256() : git == null || git.diff().isEmpty() ? null : keep(blobs, git.diff());
        return new Provenance(build.version(), build.commit(), System.getProperty("user.name"), hostName(), cluster.scheduler().name(),
                schedulerVersion, cluster.sshHost(), codeDir, tree.hash(), staging.snapshotDir().toString(), staging.codeDir(),
                gitCommit, gitBranch, gitDirty, gitPrefix, diffSha, frozen == null ? null : frozen.experimentId());
    }

    /** Each template pack's jars and each @Grab's, with their sha256. */
    private List<Provenance.Artifact> artifacts() {
        List<Provenance.Artifact> out = new ArrayList<>();
        Map<String, List<Path>> packs = new LinkedHashMap<>();
        prepared.each().forEach(each -> packs.putAll(each.packs()));
        packs.forEach((coordinate, jars) -> jars.forEach(j -> out.add(artifact("pack", coordinate, j))));
        if (prepared.source().contains("@Grab")) {
            for (String coordinate : Grabs.coordinates(prepared.source())) {
                List<Path> jars = Grabs.jars(coordinate);
                if (jars.isEmpty()) {
                    out.add(new Provenance.Artifact("grab", coordinate, null, null));
                }
                jars.forEach(j -> out.add(artifact("grab", coordinate, j)));
            }
        }
        return out;
    }

    private static Provenance.Artifact artifact(String kind, String coordinate, Path jar) {
        try {
            return new Provenance.Artifact(kind, coordinate, jar.getFileName().toString(), CodeTree.sha256(jar));
        } catch (IOException e) {
            return new Provenance.Artifact(kind, coordinate, jar.getFileName().toString(), null);
        }
    }

    /** This machine's name as the kernel has it (no name service asked), else as Java finds it. */
    static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String keep(Map<String, byte[]> blobs, String text) {
        return keep(blobs, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String keep(Map<String, byte[]> blobs, byte[] bytes) {
        String sha = sha256(bytes);
        blobs.putIfAbsent(sha, bytes);
        return sha;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
