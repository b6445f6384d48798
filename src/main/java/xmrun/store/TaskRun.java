package xmrun.store;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Consecutive work units that went out as consecutive tasks of one array: units 1..1000 as {@code 123_0..123_999}.
 * A map of unit id to scheduler id like any other: a launch stores its units' rows with these ids; for units already
 * stored (a resume), {@link ExperimentStore#markSubmitted} records it with one UPDATE rather than one per unit.
 */
public final class TaskRun extends AbstractMap<Integer, String> {
    private final int firstUnit;
    private final int count;
    private final String prefix;
    private final int firstTask;

    /** @param prefix the scheduler id of a task without its task number: {@code 123_} on Slurm, {@code 123.} on SGE */
    public TaskRun(int firstUnit, int count, String prefix, int firstTask) {
        this.firstUnit = firstUnit;
        this.count = count;
        this.prefix = prefix;
        this.firstTask = firstTask;
    }

    int firstUnit() {
        return firstUnit;
    }

    int lastUnit() {
        return firstUnit + count - 1;
    }

    String prefix() {
        return prefix;
    }

    /** What to subtract from a unit's id to get its task number. */
    int unitToTask() {
        return firstUnit - firstTask;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String get(Object unit) {
        return unit instanceof Integer u && u >= firstUnit && u <= lastUnit() ? prefix + (u - unitToTask()) : null;
    }

    @Override
    public boolean containsKey(Object unit) {
        return get(unit) != null;
    }

    @Override
    public Set<Map.Entry<Integer, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return count;
            }

            @Override
            public Iterator<Map.Entry<Integer, String>> iterator() {
                return new Iterator<>() {
                    private int next = firstUnit;

                    @Override
                    public boolean hasNext() {
                        return next <= lastUnit();
                    }

                    @Override
                    public Map.Entry<Integer, String> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int unit = next++;
                        return new SimpleImmutableEntry<>(unit, prefix + (unit - unitToTask()));
                    }
                };
            }
        };
    }
}
