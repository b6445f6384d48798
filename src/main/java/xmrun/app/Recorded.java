package xmrun.app;

import xmrun.UserError;
import xmrun.model.ImagePin;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.Provenance;
import xmrun.store.ProvenanceStore;
import xmrun.store.WorkUnitRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the store recorded of one experiment's launch, read back for {@code xmrun show}, {@code diff} and
 * {@code render EXP}: its provenance, the texts of its launcher and sweep files, its templates, jars, images,
 * code files and the files it wrote into its work dir.
 */
public record Recorded(ExperimentRecord experiment, Provenance provenance, List<Provenance.Source> sources,
                       List<Provenance.Template> templates, List<Provenance.Artifact> artifacts, List<ImagePin> images,
                       List<Provenance.File> files, List<Provenance.TreeFile> tree, ProvenanceStore store) {

    /** An experiment's record; an experiment launched before xmrun kept provenance has none, which is said plainly. */
    public static Recorded of(ExperimentStore store, ExperimentRecord exp) {
        ProvenanceStore kept = store.provenance();
        Provenance p = kept.of(exp.id()).orElseThrow(() -> new UserError("experiment " + exp.id()
                + " was launched by an xmrun that kept no provenance (before schema 6); there is nothing to show"));
        return new Recorded(exp, p, kept.sources(exp.id()), kept.templates(exp.id()), kept.artifacts(exp.id()), store.images(exp.id()),
                kept.files(exp.id()), kept.tree(p.codeTree()), kept);
    }

    public Provenance.Source launcher() {
        return sources.stream().filter(s -> s.kind().equals("launcher")).findFirst().orElseThrow();
    }

    public List<Provenance.Source> sweepFiles() {
        return sources.stream().filter(s -> s.kind().equals("sweep")).toList();
    }

    /** A stored text (a launcher, a sweep file, a template, the git patch) by its sha256. */
    public String text(String sha256) {
        return new String(store.blob(sha256), StandardCharsets.UTF_8);
    }

    public String gitDiff() {
        return provenance.gitDiffSha256() == null ? "" : text(provenance.gitDiffSha256());
    }

    public long codeBytes() {
        return tree.stream().mapToLong(Provenance.TreeFile::size).sum();
    }

    /**
     * Writes the files the launch wrote into its work dir, byte for byte, under {@code dir}: the scripts, the data files
     * their tasks read, the scheduler's output directory. Nothing is rendered again, so a changed or deleted launcher,
     * sweep file, template or pack changes nothing here.
     */
    public List<Path> writeFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        try {
            for (Provenance.File f : files) {
                Path target = dir.resolve(f.path()).normalize();
                if (!target.startsWith(dir.normalize())) {
                    throw new IllegalStateException("stored file outside its directory: " + f.path());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, store.blob(f.sha256()));
                if (f.executable()) {
                    Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                out.add(target);
            }
        } catch (java.io.IOException e) {
            throw new xmrun.Failure("cannot write " + e.getMessage(), e);
        }
        return out;
    }

    /** Everything above as JSON-ready maps, texts included (launcher, sweep files, git patch); templates by hash. */
    public Map<String, Object> json() {
        Provenance p = provenance;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", experiment.id());
        m.put("name", experiment.name());
        m.put("createdAt", experiment.createdAt().toString());
        m.put("scriptArgs", experiment.scriptArgs());
        m.put("xmrun", ordered("version", p.xmrunVersion(), "commit", p.xmrunCommit()));
        m.put("user", p.user());
        m.put("host", p.host());
        m.put("cluster", ordered("name", experiment.cluster(), "scheduler", p.scheduler(), "schedulerVersion", p.schedulerVersion(),
                "sshHost", p.clusterHost()));
        Provenance.Source l = launcher();
        m.put("launcher", ordered("path", l.path(), "sha256", l.sha256(), "text", text(l.sha256())));
        m.put("sweepFiles", sweepFiles().stream().map(s -> ordered("path", s.path(), "sha256", s.sha256(), "text", text(s.sha256()))).toList());
        m.put("code", ordered("dir", p.codeDir(), "tree", p.codeTree(), "files", tree.size(), "bytes", codeBytes(),
                "snapshot", p.codeSnapshot(), "ranIn", p.codeRun()));
        m.put("git", p.gitDirty() == null ? null : ordered("commit", p.gitCommit(), "branch", p.gitBranch(), "dirty", p.gitDirty(),
                "prefix", p.gitPrefix(), "diffSha256", p.gitDiffSha256(), "diff", gitDiff()));
        m.put("templates", templates.stream().map(t -> ordered("name", t.name(), "origin", t.origin(), "sha256", t.sha256())).toList());
        m.put("packs", artifacts("pack"));
        m.put("grabs", artifacts("grab"));
        m.put("images", images.stream().map(i -> ordered("job", i.job(), "runtime", i.runtime(), "reference", i.reference(),
                "digest", i.digest(), "image", i.image(), "note", i.note())).toList());
        m.put("files", files.stream().map(f -> ordered("path", f.path(), "sha256", f.sha256(), "executable", f.executable())).toList());
        m.put("relaunchOf", p.relaunchOf());
        return m;
    }

    private List<Map<String, Object>> artifacts(String kind) {
        return artifacts.stream().filter(a -> a.kind().equals(kind))
                .map(a -> ordered("coordinate", a.coordinate(), "jar", a.jar(), "sha256", a.sha256())).toList();
    }

    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The sweep points of each job: what the work units' sweep values were, as text, in unit order. */
    static Map<String, List<String>> points(List<WorkUnitRecord> units) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (WorkUnitRecord u : units) {
            out.computeIfAbsent(u.job(), k -> new ArrayList<>()).add(pointText(u.point()));
        }
        return out;
    }

    /** {@code lr=0.001 seed=3}, keys sorted; a unit outside any sweep reads {@code (no sweep)}. */
    static String pointText(Map<String, Object> point) {
        if (point.isEmpty()) {
            return "(no sweep)";
        }
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(point).forEach((k, v) -> parts.add(k + "=" + (v instanceof String s ? s : groovy.json.JsonOutput.toJson(v))));
        return String.join(" ", parts);
    }
}
