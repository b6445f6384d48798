package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.app.Recorded;
import xmrun.model.ImagePin;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.Provenance;

import java.io.PrintWriter;

@Command(name = "show", description = "What an experiment ran, as recorded at its launch: xmrun, launcher, sweep files, code, git,"
        + " templates, packs, images, cluster, who and where.")
final class ShowCommand extends XmrunSubcommand {
    @Parameters(index = "0", paramLabel = "EXP", completionCandidates = Completions.Experiments.class, description = "experiment id")
    String experiment;

    @Option(names = "--json", description = "print JSON, texts included (launcher, sweep files, the uncommitted git changes)")
    boolean json;

    @Option(names = "--git-diff", description = "print only the uncommitted changes, a patch for git apply on the recorded commit")
    boolean gitDiff;

    @Option(names = "--launcher", description = "print only the launcher's text as launched")
    boolean launcherText;

    @Override
    Integer run() {
        try (ExperimentStore store = openStore()) {
            ExperimentRecord exp = statusService(store).find(experiment);
            Recorded r = Recorded.of(store, exp);
            PrintWriter out = context.out();
            if (gitDiff) {
                out.print(r.gitDiff());
            } else if (launcherText) {
                out.print(r.text(r.launcher().sha256()));
            } else if (json) {
                out.println(Json.of(r.json()));
            } else {
                print(r, out);
            }
            out.flush();
            return 0;
        }
    }

    private static void print(Recorded r, PrintWriter out) {
        ExperimentRecord e = r.experiment();
        Provenance p = r.provenance();
        out.printf("experiment %d '%s', launched %s by %s on %s%n", e.id(), e.name(), e.createdAt(), p.user(), p.host());
        if (p.relaunchOf() != null) {
            out.printf("  relaunch of:  experiment %d%n", p.relaunchOf());
        }
        out.printf("  xmrun:        %s (commit %s)%n", p.xmrunVersion(), p.xmrunCommit());
        out.printf("  cluster:      %s: %s%s%s%n", e.cluster(), p.scheduler(), p.schedulerVersion() == null ? "" : " (" + p.schedulerVersion() + ")",
                p.clusterHost() == null ? "" : " over SSH to " + p.clusterHost());
        Provenance.Source l = r.launcher();
        out.printf("  launcher:     %s  sha256 %s%s%n", l.path(), l.sha256(),
                e.scriptArgs().isEmpty() ? "" : "  args " + xmrun.render.ShellQuote.join(e.scriptArgs()));
        r.sweepFiles().forEach(s -> out.printf("  sweep file:   %s  sha256 %s%n", s.path(), s.sha256()));
        out.printf("  code:         %s: %d file%s, %s, digest %s%n", p.codeDir(), r.tree().size(), r.tree().size() == 1 ? "" : "s",
                Bytes.human(r.codeBytes()), p.codeTree());
        out.printf("  snapshot:     %s%n", p.codeSnapshot());
        if (!p.codeRun().equals(p.codeSnapshot())) {
            out.printf("  ran in:       %s%n", p.codeRun());
        }
        if (p.gitDirty() == null) {
            out.printf("  git:          not in a git work tree%n");
        } else {
            out.printf("  git:          %s%s, %s%n", p.gitCommit() == null ? "no commit yet" : "commit " + p.gitCommit(),
                    p.gitBranch() == null ? "" : " on " + p.gitBranch(), !p.gitDirty() ? "clean"
                            : p.gitDiffSha256() == null ? "uncommitted changes" : "uncommitted changes, patch sha256 " + p.gitDiffSha256()
                            + " (xmrun show " + e.id() + " --git-diff)");
        }
        r.templates().forEach(t -> out.printf("  template:     %s  %s  sha256 %s%n", t.name(), t.origin(), t.sha256()));
        r.artifacts().forEach(a -> out.printf("  %-13s %s  %s%n", a.kind() + ":", a.coordinate(),
                a.jar() == null ? "(jar not found)" : a.jar() + "  sha256 " + a.sha256()));
        for (ImagePin i : r.images()) {
            out.printf("  image:        %s: %s (%s) %s%n", i.job(), i.reference(), i.runtime(),
                    i.pinned() ? "pinned as " + i.digest() : "- " + i.note());
        }
        out.printf("  files:        %d written to %s (xmrun render %d -o DIR writes them again)%n", r.files().size(), e.workDir(), e.id());
    }
}
