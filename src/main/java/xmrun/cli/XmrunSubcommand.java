package xmrun.cli;

import xmrun.app.StatusService;
import xmrun.store.ExperimentStore;

import java.util.concurrent.Callable;

/** Base of the subcommands: the shared context, and the store opened only by commands that need it. */
abstract class XmrunSubcommand implements Callable<Integer> {
    Context context;

    ExperimentStore openStore() {
        return ExperimentStore.open(context.home().storeFile());
    }

    static StatusService statusService(ExperimentStore store) {
        return new StatusService(store);
    }
}
