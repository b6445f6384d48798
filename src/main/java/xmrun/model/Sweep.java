package xmrun.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of hyperparameter points, addressed by index so that a 100,000-point sweep never has to
 * exist in memory: a work unit, an array task or a status line asks for point {@code i} alone.
 */
public sealed interface Sweep permits Sweep.Axis, Sweep.Product, Sweep.Zip {

    /** The sweep of one empty point: a job without a sweep runs once. */
    Sweep NONE = new Product(List.of());

    long size();

    /** Axis names in the order their values become arguments. */
    List<String> names();

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

    /** One named axis: {@code lr 1e-3, 3e-4}. */
    record Axis(String name, List<Object> values) implements Sweep {
        public Axis {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("axis '" + name + "' has no values");
            }
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

        public void fill(long index, Map<String, Object> into) {
            for (Sweep p : parts) {
                p.fill(index, into);
            }
        }
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
