package xmrun.packs;

import org.apache.ivy.Ivy;
import org.apache.ivy.core.module.id.ModuleRevisionId;
import org.apache.ivy.core.report.ArtifactDownloadReport;
import org.apache.ivy.core.report.ResolveReport;
import org.apache.ivy.core.resolve.ResolveOptions;
import org.apache.ivy.core.settings.IvySettings;
import org.apache.ivy.plugins.resolver.ChainResolver;
import org.apache.ivy.plugins.resolver.IBiblioResolver;
import org.apache.ivy.util.DefaultMessageLogger;
import org.apache.ivy.util.Message;
import xmrun.UserError;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a template pack ({@code group:artifact:version}) and what it depends on to jar files with
 * Apache Ivy, cached under XMRUN_HOME. When the repositories cannot be reached, the cache answers:
 * a pack used once works offline.
 */
public final class PackResolver {
    private final Repositories repositories;
    private final Path cacheDir;
    private Ivy ivy;

    public PackResolver(Repositories repositories, Path cacheDir) {
        this.repositories = repositories;
        this.cacheDir = cacheDir;
    }

    /** The pack's jar first, then its dependencies' jars. */
    public List<Path> resolve(String coordinate) {
        ModuleRevisionId id = parse(coordinate);
        ResolveReport report = resolve(id, false);
        if (report.hasError()) {
            ResolveReport cached = resolve(id, true); // offline, or the repository is gone: what we fetched before
            if (cached.hasError()) {
                throw new UserError("cannot resolve template pack " + coordinate + " from " + String.join(", ", repositories.all())
                        + ": " + firstProblem(report));
            }
            report = cached;
        }
        List<Path> jars = new ArrayList<>();
        for (ArtifactDownloadReport a : report.getAllArtifactsReports()) {
            File f = a.getLocalFile();
            if (f != null && a.getArtifact().getModuleRevisionId().equals(id)) {
                jars.add(0, f.toPath());
            } else if (f != null) {
                jars.add(f.toPath());
            }
        }
        return jars;
    }

    private ResolveReport resolve(ModuleRevisionId id, boolean cacheOnly) {
        try {
            ResolveOptions options = new ResolveOptions().setConfs(new String[]{"default"}).setTransitive(true)
                    .setUseCacheOnly(cacheOnly).setOutputReport(false);
            return ivy().resolve(id, options, false);
        } catch (Exception e) {
            throw new UserError("cannot resolve template pack " + id + ": " + e.getMessage());
        }
    }

    private Ivy ivy() {
        if (ivy == null) {
            Message.setDefaultLogger(new DefaultMessageLogger(Message.MSG_ERR)); // Ivy is chatty by default
            IvySettings settings = new IvySettings();
            settings.setDefaultCache(cacheDir.toFile());
            ChainResolver chain = new ChainResolver();
            chain.setName("xmrun");
            chain.setReturnFirst(true);
            List<String> all = repositories.all();
            for (int i = 0; i < all.size(); i++) {
                IBiblioResolver r = new IBiblioResolver();
                r.setName("repo" + i);
                r.setM2compatible(true);
                r.setUsepoms(true);
                r.setRoot(all.get(i));
                chain.add(r);
            }
            settings.addResolver(chain);
            settings.setDefaultResolver("xmrun");
            ivy = Ivy.newInstance(settings);
        }
        return ivy;
    }

    static ModuleRevisionId parse(String coordinate) {
        String[] p = coordinate.split(":");
        if (p.length != 3 || p[0].isBlank() || p[1].isBlank() || p[2].isBlank()) {
            throw new UserError("template pack '" + coordinate + "' must be written group:artifact:version");
        }
        return ModuleRevisionId.newInstance(p[0], p[1], p[2]);
    }

    private static String firstProblem(ResolveReport report) {
        List<String> problems = report.getAllProblemMessages();
        return problems.isEmpty() ? "not found" : problems.get(0);
    }
}
