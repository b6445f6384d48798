package xmrun.app;

import xmrun.scheduler.SchedulerRegistry;
import xmrun.store.ExperimentStore;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The values shell completion looks up when TAB is pressed. Completion must never print errors into
 * the user's command line or leave files behind, so a broken config or a missing store gives what
 * can be known without them.
 */
public final class CompletionValues {
    private CompletionValues() {
    }

    /** The built-in clusters, then those of the config file xmrun reads (as a launch would load them). */
    public static List<String> clusters(XmrunHome home) {
        List<String> names = new ArrayList<>(SchedulerRegistry.names());
        try (Clusters clusters = new Clusters(home)) {
            names.addAll(clusters.config().clusters().keySet().stream().sorted().toList());
        } catch (RuntimeException brokenConfig) {
            // a config with a mistake still leaves the built-in clusters to offer
        }
        return names;
    }

    /** Experiment ids, newest first; none when nothing was ever launched (the store is not created for this). */
    public static List<String> experiments(XmrunHome home) {
        if (!Files.isRegularFile(home.storeFile())) {
            return List.of();
        }
        try (ExperimentStore store = ExperimentStore.open(home.storeFile())) {
            return store.experiments().stream().map(e -> Long.toString(e.id())).toList();
        } catch (RuntimeException unreadable) {
            return List.of();
        }
    }
}
