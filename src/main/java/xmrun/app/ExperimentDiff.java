package xmrun.app;

import xmrun.model.ImagePin;
import xmrun.store.Provenance;
import xmrun.store.WorkUnitRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code xmrun diff EXP1 EXP2}: what differs between two experiments' launches, as lines to print. Only what differs
 * is said: xmrun, the cluster, the launcher's arguments and text (a unified diff), the sweep files, the code (files
 * added, removed and changed, from the two trees), git, templates, images, and the sweep (points only in one).
 */
public final class ExperimentDiff {
    private final Recorded a;
    private final Recorded b;
    private final List<WorkUnitRecord> aUnits;
    private final List<WorkUnitRecord> bUnits;
    private final List<String> out = new ArrayList<>();

    public ExperimentDiff(Recorded a, List<WorkUnitRecord> aUnits, Recorded b, List<WorkUnitRecord> bUnits) {
        this.a = a;
        this.b = b;
        this.aUnits = aUnits;
        this.bUnits = bUnits;
    }

    /** The lines; empty when the two ran the same. */
    public List<String> lines() {
        out.clear();
        Provenance p = a.provenance();
        Provenance q = b.provenance();
        field("xmrun", p.xmrunVersion() + " (commit " + p.xmrunCommit() + ")", q.xmrunVersion() + " (commit " + q.xmrunCommit() + ")");
        field("cluster", cluster(a), cluster(b));
        field("arguments", String.join(" ", a.experiment().scriptArgs()), String.join(" ", b.experiment().scriptArgs()));
        texts();
        code();
        field("git", git(p), git(q));
        templates();
        images();
        sweep();
        return List.copyOf(out);
    }

    private String name(Recorded r) {
        return "experiment " + r.experiment().id();
    }

    private void field(String what, String x, String y) {
        if (!Objects.equals(x, y)) {
            out.add(String.format("%-10s %s -> %s", what + ":", x, y));
        }
    }

    private static String cluster(Recorded r) {
        Provenance p = r.provenance();
        return r.experiment().cluster() + " (" + p.scheduler() + (p.schedulerVersion() == null ? "" : ", " + p.schedulerVersion())
                + (p.clusterHost() == null ? "" : ", " + p.clusterHost()) + ")";
    }

    private static String git(Provenance p) {
        if (p.gitDirty() == null) {
            return "not in a git work tree";
        }
        String commit = p.gitCommit() == null ? "no commit yet" : "commit " + p.gitCommit();
        return commit + (p.gitBranch() == null ? "" : " (" + p.gitBranch() + ")")
                + (p.gitDirty() ? ", uncommitted changes " + shortHash(p.gitDiffSha256()) : ", clean");
    }

    /** The launcher (wherever it was), then each sweep file by path: a unified diff of their texts, or which has it. */
    private void texts() {
        Provenance.Source l = a.launcher();
        Provenance.Source m = b.launcher();
        field("launcher", l.path(), m.path());
        if (!l.sha256().equals(m.sha256())) {
            out.add("launcher text:");
            out.addAll(UnifiedDiff.of(name(a) + ": " + l.path(), a.text(l.sha256()), name(b) + ": " + m.path(), b.text(m.sha256())));
        }
        Map<String, Provenance.Source> x = byPath(a);
        Map<String, Provenance.Source> y = byPath(b);
        Set<String> paths = new LinkedHashSet<>(x.keySet());
        paths.addAll(y.keySet());
        for (String path : paths) {
            Provenance.Source s = x.get(path);
            Provenance.Source t = y.get(path);
            if (s == null || t == null) {
                out.add("sweep file " + path + " only in " + name(s == null ? b : a));
            } else if (!s.sha256().equals(t.sha256())) {
                out.add("sweep file " + path + ":");
                out.addAll(UnifiedDiff.of(name(a) + ": " + path, a.text(s.sha256()), name(b) + ": " + path, b.text(t.sha256())));
            }
        }
    }

    private static Map<String, Provenance.Source> byPath(Recorded r) {
        Map<String, Provenance.Source> m = new LinkedHashMap<>();
        r.sweepFiles().forEach(s -> m.put(s.path(), s));
        return m;
    }

    /** Files added, removed and changed (content or mode), from the two trees. */
    private void code() {
        if (a.provenance().codeTree().equals(b.provenance().codeTree())) {
            field("code dir", a.provenance().codeDir(), b.provenance().codeDir());
            return;
        }
        Map<String, Provenance.TreeFile> x = new TreeMap<>();
        a.tree().forEach(f -> x.put(f.path(), f));
        Map<String, Provenance.TreeFile> y = new TreeMap<>();
        b.tree().forEach(f -> y.put(f.path(), f));
        List<String> lines = new ArrayList<>();
        int added = 0;
        int removed = 0;
        int changed = 0;
        Set<String> paths = new java.util.TreeSet<>(x.keySet());
        paths.addAll(y.keySet());
        for (String path : paths) {
            Provenance.TreeFile f = x.get(path);
            Provenance.TreeFile g = y.get(path);
            if (f == null) {
                lines.add("  added    " + path);
                added++;
            } else if (g == null) {
                lines.add("  removed  " + path);
                removed++;
            } else if (!f.sha256().equals(g.sha256()) || f.executable() != g.executable() || (f.link() == null) != (g.link() == null)) {
                lines.add("  changed  " + path + (f.link() != null || g.link() != null ? " (" + mode(f) + " -> " + mode(g) + ")"
                        : f.sha256().equals(g.sha256()) ? " (mode " + mode(f) + " -> " + mode(g) + ")" : ""));
                changed++;
            }
        }
        out.add(String.format("%-10s %d changed, %d added, %d removed (digest %s -> %s)", "code:", changed, added, removed,
                shortHash(a.provenance().codeTree()), shortHash(b.provenance().codeTree())));
        out.addAll(lines);
    }

    private static String mode(Provenance.TreeFile f) {
        return f.link() != null ? "link to " + f.link() : f.executable() ? "executable" : "not executable";
    }

    private void templates() {
        Map<String, Provenance.Template> x = new LinkedHashMap<>();
        a.templates().forEach(t -> x.put(t.name(), t));
        Map<String, Provenance.Template> y = new LinkedHashMap<>();
        b.templates().forEach(t -> y.put(t.name(), t));
        Set<String> names = new LinkedHashSet<>(x.keySet());
        names.addAll(y.keySet());
        for (String n : names) {
            Provenance.Template s = x.get(n);
            Provenance.Template t = y.get(n);
            if (s == null || t == null) {
                out.add("template " + n + " only in " + name(s == null ? b : a) + " (" + (s == null ? t : s).origin() + ")");
            } else if (!s.sha256().equals(t.sha256())) {
                out.add("template " + n + ": " + s.origin() + " " + shortHash(s.sha256()) + " -> " + t.origin() + " " + shortHash(t.sha256()));
            }
        }
    }

    private void images() {
        Map<String, ImagePin> x = new LinkedHashMap<>();
        a.images().forEach(i -> x.put(i.job(), i));
        Map<String, ImagePin> y = new LinkedHashMap<>();
        b.images().forEach(i -> y.put(i.job(), i));
        Set<String> jobs = new LinkedHashSet<>(x.keySet());
        jobs.addAll(y.keySet());
        for (String job : jobs) {
            field("image " + job, image(x.get(job)), image(y.get(job)));
        }
    }

    private static String image(ImagePin i) {
        return i == null ? "none" : i.reference() + " (" + i.runtime() + (i.digest() == null ? ", not pinned" : ", " + i.digest()) + ")";
    }

    /** Per job, the sweep points only one of the two ran. */
    private void sweep() {
        Map<String, List<String>> x = Recorded.points(aUnits);
        Map<String, List<String>> y = Recorded.points(bUnits);
        Set<String> jobs = new LinkedHashSet<>(x.keySet());
        jobs.addAll(y.keySet());
        for (String job : jobs) {
            if (!x.containsKey(job) || !y.containsKey(job)) {
                out.add("job " + job + " only in " + name(x.containsKey(job) ? a : b));
                continue;
            }
            List<String> onlyA = new ArrayList<>(x.get(job));
            onlyA.removeAll(new LinkedHashSet<>(y.get(job)));
            List<String> onlyB = new ArrayList<>(y.get(job));
            onlyB.removeAll(new LinkedHashSet<>(x.get(job)));
            if (onlyA.isEmpty() && onlyB.isEmpty()) {
                continue;
            }
            out.add("sweep of job " + job + ": " + onlyA.size() + " point" + (onlyA.size() == 1 ? "" : "s") + " only in " + name(a) + ", "
                    + onlyB.size() + " only in " + name(b));
            onlyA.forEach(pt -> out.add("  - " + pt));
            onlyB.forEach(pt -> out.add("  + " + pt));
        }
    }

    static String shortHash(String sha) {
        return sha == null ? "-" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
