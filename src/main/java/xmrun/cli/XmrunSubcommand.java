package xmrun.cli;

import xmrun.app.Clusters;
import xmrun.app.LaunchService;
import xmrun.app.Patience;
import xmrun.app.StatusService;
import xmrun.executor.Secrets;
import xmrun.store.ExperimentStore;

import java.util.concurrent.Callable;

/**
 * Base of the subcommands: the shared context, the store opened only by commands that need it, and
 * the clusters the command talks to (one connection each, closed when the command ends).
 */
abstract class XmrunSubcommand implements Callable<Integer> {
    Context context;
    private Clusters clusters;

    abstract Integer run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } finally {
            if (clusters != null) {
                clusters.close();
            }
        }
    }

    Clusters clusters() {
        if (clusters == null) {
            clusters = new Clusters(context.home());
        }
        return clusters;
    }

    ExperimentStore openStore() {
        return ExperimentStore.open(context.home().storeFile());
    }

    StatusService statusService(ExperimentStore store) {
        return new StatusService(store, clusters()::open, secrets());
    }

    /** How long watching waits out a scheduler or connection that stopped answering ({@code XMRUN_PATIENCE}), said on stderr. */
    Patience patience() {
        return Patience.fromEnvironment(context.env(), line -> {
            context.err().println(line);
            context.err().flush();
        });
    }

    LaunchService launchService() {
        return new LaunchService(context.home(), clusters(), secrets());
    }

    /** Secret values come from the environment xmrun was started with. */
    Secrets secrets() {
        return new Secrets(context.env());
    }
}
