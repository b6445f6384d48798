package xmrun.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A set of hyperparameter points, addressed by index so that a 100,000-point sweep never has to
 * exist in memory: a work unit, an array task or a status line asks for point {@code i} alone.
 */
public sealed interface Sweep permits Sweep.Axis, Sweep.Product, Sweep.Zip, Sweep.Concat, Sweep.Filtered {

    /** The sweep of one empty point: a job without a sweep runs once. */
    Sweep NONE = new Product(List.of());

    long size();

    /** Axis names in the order their values become arguments. */
    List<String> names();

    /**
     * The axes whose values reach the program as environment variables instead of arguments (written in an
     * {@code env { }} block of a sweep: W&B's WANDB_NAME, a seed a library reads from the environment).
     */
    default Set<String> envNames() {
        return Set.of();
    }

    /** Puts point {@code index}'s values into {@code into}, in {@link #names()} order. */
    void fill(long index, Map<String, Object> into);

    default Map<String, Object> point(long index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("point " + index + " of " + size());
        }
        Map<String, Object> p = new LinkedHashMap<>();
        fill(index, p);
        return p;
    }

    /** One named axis: {@code lr 1e-3, 3e-4}; {@code env}: its values go to an environment variable of that name. */
    record Axis(String name, List<Object> values, boolean env) implements Sweep {
        public Axis {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("axis '" + name + "' has no values");
            }
        }

        public Axis(String name, List<Object> values) {
            this(name, values, false);
        }

        public Set<String> envNames() {
            return env ? Set.of(name) : Set.of();
        }

        public long size() {
            return values.size();
        }

        public List<String> names() {
            return List.of(name);
        }

        public void fill(long index, Map<String, Object> into) {
            into.put(name, values.get((int) index));
        }
    }

    /** Every combination of its parts; the last part varies fastest, like nested loops. */
    record Product(List<Sweep> parts) implements Sweep {
        public Product {
            parts = List.copyOf(parts);
            checkDistinctNames(parts);
        }

        public long size() {
            long n = 1;
            for (Sweep p : parts) {
                n = Math.multiplyExact(n, p.size());
            }
            return n;
        }

        public List<String> names() {
            return concatNames(parts);
        }

        public Set<String> envNames() {
            return unionEnvNames(parts);
        }

        public void fill(long index, Map<String, Object> into) {
            long rest = index;
            long[] digits = new long[parts.size()];
            for (int i = parts.size() - 1; i >= 0; i--) {
                long radix = parts.get(i).size();
                digits[i] = rest % radix;
                rest /= radix;
            }
            for (int i = 0; i < parts.size(); i++) {
                parts.get(i).fill(digits[i], into);
            }
        }
    }

    /** Parts that move together: point i takes the i-th value of each; all must be the same size. */
    record Zip(List<Sweep> parts) implements Sweep {
        public Zip {
            parts = List.copyOf(parts);
            checkDistinctNames(parts);
            for (Sweep p : parts) {
                if (p.size() != parts.get(0).size()) {
                    throw new IllegalArgumentException("zip needs axes of one length, got " + sizes(parts));
                }
            }
        }

        public long size() {
            return parts.isEmpty() ? 1 : parts.get(0).size();
        }

        public List<String> names() {
            return concatNames(parts);
        }

        public Set<String> envNames() {
            return unionEnvNames(parts);
        }

        public void fill(long index, Map<String, Object> into) {
            for (Sweep p : parts) {
                p.fill(index, into);
            }
        }
    }

    /**
     * The points of each part, one part after the other. Parts may sweep different axes: the names
     * are their union, and a point has values only for its own part's axes (an axis it lacks gives
     * the program no argument), still in {@link #names()} order so every argv reads the same way.
     */
    record Concat(List<Sweep> parts) implements Sweep {
        public Concat {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("concat needs at least one sweep");
            }
            long n = 0;
            for (Sweep p : parts) {
                n = Math.addExact(n, p.size());
            }
        }

        public long size() {
            long n = 0;
            for (Sweep p : parts) {
                n += p.size();
            }
            return n;
        }

        public List<String> names() {
            return List.copyOf(new LinkedHashSet<>(concatNames(parts)));
        }

        public Set<String> envNames() {
            return unionEnvNames(parts);
        }

        public void fill(long index, Map<String, Object> into) {
            long rest = index;
            for (Sweep p : parts) {
                if (rest < p.size()) {
                    Map<String, Object> own = new LinkedHashMap<>();
                    p.fill(rest, own);
                    for (String name : names()) {
                        if (own.containsKey(name)) {
                            into.put(name, own.get(name));
                        }
                    }
                    return;
                }
                rest -= p.size();
            }
            throw new IndexOutOfBoundsException("point " + index + " of " + size());
        }
    }

    /**
     * The points of {@code inner} that a test keeps, in their order. The test runs once per point of
     * inner when the sweep is built, and the kept indices are stored, so a point is still found by
     * index in constant time. That costs one test per inner point at load time and 4 bytes per kept
     * point (40 MB for 10 million), hence the cap of {@link #MAX_TESTED} inner points.
     */
    final class Filtered implements Sweep {
        public static final long MAX_TESTED = 10_000_000;

        private final Sweep inner;
        private final int[] kept;

        private Filtered(Sweep inner, int[] kept) {
            this.inner = inner;
            this.kept = kept;
        }

        /** @param keep given each point of inner (a read-only map, reused between calls) */
        public static Filtered of(Sweep inner, Predicate<Map<String, Object>> keep) {
            long n = inner.size();
            checkTestable(n);
            int[] found = new int[(int) Math.min(n, 1024)];
            int count = 0;
            Map<String, Object> point = new LinkedHashMap<>();
            Map<String, Object> readOnly = Collections.unmodifiableMap(point);
            for (int i = 0; i < n; i++) {
                point.clear();
                inner.fill(i, point);
                if (keep.test(readOnly)) {
                    if (count == found.length) {
                        found = Arrays.copyOf(found, (int) Math.min(n, 2L * found.length));
                    }
                    found[count++] = i;
                }
            }
            return new Filtered(inner, Arrays.copyOf(found, count));
        }

        /** Refuses an inner sweep too large to test point by point. */
        public static void checkTestable(long size) {
            if (size > MAX_TESTED) {
                throw new IllegalArgumentException(String.format(
                        "a filtered sweep tests every point, and this one has %,d points; at most %,d can be filtered", size, MAX_TESTED));
            }
        }

        public Sweep inner() {
            return inner;
        }

        public long size() {
            return kept.length;
        }

        public List<String> names() {
            return inner.names();
        }

        public Set<String> envNames() {
            return inner.envNames();
        }

        public void fill(long index, Map<String, Object> into) {
            inner.fill(kept[Math.toIntExact(index)], into);
        }

        @Override
        public String toString() {
            return "Filtered[" + kept.length + " of " + inner + "]";
        }
    }

    private static Set<String> unionEnvNames(List<Sweep> parts) {
        Set<String> names = new LinkedHashSet<>();
        parts.forEach(p -> names.addAll(p.envNames()));
        return names;
    }

    private static List<String> concatNames(List<Sweep> parts) {
        List<String> names = new ArrayList<>();
        parts.forEach(p -> names.addAll(p.names()));
        return names;
    }

    private static void checkDistinctNames(List<Sweep> parts) {
        List<String> names = concatNames(parts);
        for (int i = 0; i < names.size(); i++) {
            if (names.indexOf(names.get(i)) != i) {
                throw new IllegalArgumentException("axis '" + names.get(i) + "' appears twice in one sweep");
            }
        }
    }

    private static String sizes(List<Sweep> parts) {
        List<String> out = new ArrayList<>();
        parts.forEach(p -> out.add(String.join("+", p.names()) + "=" + p.size()));
        return String.join(", ", out);
    }
}
