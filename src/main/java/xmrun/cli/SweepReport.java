package xmrun.cli;

import xmrun.model.Experiment;
import xmrun.model.Sweep;
import xmrun.plan.Plan;

import java.util.List;
import java.util.stream.LongStream;

/**
 * What {@code xmrun sweep} prints: one sweep file's sweep, or every job's sweep in a launcher with
 * the work unit ids its points will get.
 *
 * @param experiment null for a sweep file
 */
record SweepReport(String file, String experiment, List<Section> sections) {

    /** @param job null for a sweep file; @param firstWorkUnit 0 for a sweep file */
    record Section(String job, Sweep sweep, int firstWorkUnit) {
    }

    static SweepReport ofLauncher(Experiment experiment, String file) {
        Plan plan = new Plan(experiment);
        List<Section> sections = experiment.jobs().stream()
                .map(j -> new Section(j.name(), j.sweep(), plan.firstWorkUnitId(j.name()))).toList();
        return new SweepReport(file, experiment.name(), sections);
    }

    static SweepReport ofSweepFile(Sweep sweep, String file) {
        return new SweepReport(file, null, List.of(new Section(null, sweep, 0)));
    }

    long workUnits() {
        return sections.stream().mapToLong(s -> s.sweep().size()).sum();
    }

    /**
     * Which points get printed: all of a small sweep, the first and last {@code limit} of a large
     * one. Points are computed as they are printed, so a sweep of millions costs no more memory.
     */
    record Shown(long size, int limit) {
        private boolean all() {
            return limit == 0 || size <= 2L * limit;
        }

        long headEnd() {
            return all() ? size : limit;
        }

        long tailStart() {
            return all() ? size : size - limit;
        }

        long omitted() {
            return tailStart() - headEnd();
        }

        LongStream indices() {
            return LongStream.concat(LongStream.range(0, headEnd()), LongStream.range(tailStart(), size));
        }
    }
}
