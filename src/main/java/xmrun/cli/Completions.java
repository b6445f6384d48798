package xmrun.cli;

import xmrun.scheduler.SchedulerRegistry;

import java.util.Collections;
import java.util.Iterator;

/**
 * What shell completion offers for a parameter, named in its {@code completionCandidates}. Most values are
 * known only when TAB is pressed (the clusters in the user's config, the experiments in the store, the
 * files in the directory), so they list nothing here: {@link CompletionScript} reads their kind and makes
 * the script look them up then.
 */
final class Completions {
    private Completions() {
    }

    /** A kind of value looked up at completion time; empty as picocli sees it. */
    abstract static class AtTabTime implements Iterable<String> {
        abstract String kind();

        @Override
        public Iterator<String> iterator() {
            return Collections.emptyIterator();
        }
    }

    /** Cluster names: the built-in ones and those of the config file, asked from {@code xmrun __complete clusters}. */
    static final class Clusters extends AtTabTime {
        String kind() {
            return "clusters";
        }
    }

    /** Experiment ids in the store, newest first, asked from {@code xmrun __complete experiments}. */
    static final class Experiments extends AtTabTime {
        String kind() {
            return "experiments";
        }
    }

    /** {@code *.xm.groovy} files (and directories, to get to them). */
    static final class Launchers extends AtTabTime {
        String kind() {
            return "launchers";
        }
    }

    /** Launchers and sweep files ({@code *.sweep.groovy}). */
    static final class SweepFiles extends AtTabTime {
        String kind() {
            return "sweeps";
        }
    }

    /** The schedulers xmrun knows: fixed for a build, so picocli writes them into the script. */
    static final class Schedulers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return SchedulerRegistry.names().iterator();
        }
    }
}
