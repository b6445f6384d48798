package xmrun.app;

import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Work unit rows on their way to the store, a batch at a time, written on a thread of its own while the next batch
 * is built: rendering units and storing them (their JSON, SQLite) each take about half of a large launch, and a
 * second core does one while the first does the other. At most two batches are held, so memory stays flat however
 * large the sweep. The store is not used by anyone else until {@link #close} returns.
 */
final class RowWriter implements AutoCloseable {
    private static final ExecutorService WRITING = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "xmrun-store-rows");
        t.setDaemon(true);
        return t;
    });

    private final ExperimentStore store;
    private List<WorkUnitRecord> filling = new ArrayList<>(ExperimentStore.BATCH);
    private Future<?> writing;

    RowWriter(ExperimentStore store) {
        this.store = store;
    }

    void add(WorkUnitRecord row) {
        filling.add(row);
        if (filling.size() == ExperimentStore.BATCH) {
            List<WorkUnitRecord> full = filling;
            awaitWriting();
            writing = WRITING.submit(() -> store.addWorkUnits(full));
            filling = new ArrayList<>(ExperimentStore.BATCH);
        }
    }

    /** Writes what is left and waits until every row is in the store; a failure to store any is thrown here. */
    @Override
    public void close() {
        awaitWriting();
        store.addWorkUnits(filling);
        filling = new ArrayList<>();
    }

    private void awaitWriting() {
        if (writing == null) {
            return;
        }
        try {
            writing.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new xmrun.Failure("cannot store work units: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new xmrun.Failure("interrupted while storing work units", e);
        } finally {
            writing = null;
        }
    }
}
