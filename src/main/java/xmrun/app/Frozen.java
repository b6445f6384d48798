package xmrun.app;

import xmrun.Failure;
import xmrun.stage.CodeTree;
import xmrun.store.ExperimentStore;
import xmrun.store.Provenance;
import xmrun.store.ProvenanceStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an earlier experiment ran, to evaluate and run it again as it was (a relaunch; a resume evaluates with it):
 * its sweep files' texts, its code snapshot (which stands for the launcher's code directory, whatever that holds now)
 * and the templates its scripts came from.
 */
public record Frozen(long experimentId, Map<Path, String> sweepFiles, Path codeDir, CodeTree tree, Map<String, String> templates,
                     Provenance provenance) {

    /** What the store keeps of an experiment; empty for one launched before xmrun kept provenance. */
    public static Optional<Frozen> of(ExperimentStore store, long experimentId) {
        ProvenanceStore kept = store.provenance();
        Optional<Provenance> p = kept.of(experimentId);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Map<Path, String> sweeps = new LinkedHashMap<>();
        kept.sources(experimentId).stream().filter(s -> s.kind().equals("sweep"))
                .forEach(s -> sweeps.put(Path.of(s.path()), text(kept.blob(s.sha256()))));
        Map<String, String> templates = new LinkedHashMap<>();
        kept.templates(experimentId).forEach(t -> templates.put(t.name(), text(kept.blob(t.sha256()))));
        Path snapshot = Path.of(p.get().codeSnapshot());
        CodeTree tree = CodeTree.of(snapshot, kept.tree(p.get().codeTree()).stream()
                .map(f -> new CodeTree.Entry(f.path(), f.sha256(), f.size(), f.executable(), f.link())).toList());
        if (!tree.hash().equals(p.get().codeTree())) {
            throw new Failure("experiment " + experimentId + ": the store's list of its code files does not give its code digest");
        }
        return Optional.of(new Frozen(experimentId, sweeps, snapshot, tree, templates, p.get()));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
