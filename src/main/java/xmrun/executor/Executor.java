package xmrun.executor;

import xmrun.plan.Plan;
import xmrun.render.ScriptRenderer;
import xmrun.state.UnitStatus;
import xmrun.store.ExperimentRecord;
import xmrun.store.WorkUnitRecord;

import xmrun.stage.Stager;
import xmrun.transport.Transport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where work units run: this machine, or a scheduler reached through a transport. An executor renders
 * an experiment into files, submits them, and answers status, cancel and log questions for the
 * work units it submitted, each in a constant number of calls however many units there are.
 */
public interface Executor extends AutoCloseable {

    /** The files a launch writes into the experiment's work dir, in the order they are written. */
    List<ScriptFile> render(Plan plan, long experimentId, Path workDir, ScriptRenderer renderer);

    /** The rendered script that runs a given work unit, relative to the work dir. */
    String scriptOf(Plan plan, int workUnitId);

    /**
     * Submits what {@link #render} wrote, telling {@code submitted} the scheduler ids of each batch of
     * work units as soon as the scheduler has accepted it, so the store never misses a submission.
     *
     * @param known work units already submitted (by an earlier, interrupted launch): not submitted again
     * @throws xmrun.transport.ConnectionLost when the connection dropped: what was accepted stays submitted
     */
    void submit(Plan plan, ExperimentRecord experiment, Map<Integer, String> known, Consumer<Map<Integer, String>> submitted);

    /**
     * Work units of an interrupted launch that the scheduler has although the store does not know it
     * (the submission in flight when the connection dropped). Empty where the scheduler cannot tell.
     */
    default Map<Integer, String> findSubmitted(Plan plan, ExperimentRecord experiment) {
        return Map.of();
    }

    Map<Integer, UnitStatus> status(ExperimentRecord experiment, List<WorkUnitRecord> units);

    void cancel(ExperimentRecord experiment, List<WorkUnitRecord> units);

    /** Where a work unit's output is, on the side the transport reaches. */
    String outputPath(ExperimentRecord experiment, WorkUnitRecord unit, Output which);

    /**
     * Where experiments' work dirs go: {@code localDefault} unless the cluster keeps them elsewhere,
     * where {@code storeId} keeps them apart from other stores' experiments of the same number.
     */
    default Path experimentsDir(Path localDefault, String storeId) {
        return localDefault;
    }

    /** Where work units start: the experiment's code directory, or its copy on the cluster. */
    default String codeDir(Plan plan) {
        return plan.experiment().codeDir().toString();
    }

    /** Puts the code where {@link #codeDir} says, if it is not there already; empty when nothing needs moving. */
    default Optional<Stager.Result> stage(Plan plan, xmrun.stage.Progress progress) {
        return Optional.empty();
    }

    /** The transport this executor runs commands and moves files with. */
    Transport transport();

    enum Output {
        STDOUT("stdout"), STDERR("stderr");

        public final String fileName;

        Output(String fileName) {
            this.fileName = fileName;
        }
    }

    /** Every executor keeps a unit's output in {@code WORKDIR/wu/ID/stdout|stderr}. */
    static String unitOutput(ExperimentRecord experiment, WorkUnitRecord unit, Output which) {
        return experiment.workDir() + "/wu/" + unit.id() + "/" + which.fileName;
    }

    @Override
    default void close() {
    }
}
