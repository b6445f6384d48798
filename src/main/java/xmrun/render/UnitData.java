package xmrun.render;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A job's per-unit arguments and environment, kept beside its script so the script's size does not grow
 * with the sweep: {@code jobs/JOB.units} holds one record per unit, fields each followed by a NUL (no
 * argument or variable can hold one): the number of arguments, the arguments, then NAME=VALUE for each
 * env axis; {@code jobs/JOB.index} has one fixed-size line per unit, "OFFSET LENGTH" in that file, so a
 * task finds its record with two reads whatever the sweep's size, and loads it byte for byte with
 * {@code read -d ''}: nothing is re-split or evaluated.
 */
public final class UnitData {
    /** "%15d %15d\n": 32 bytes per unit. */
    public static final int INDEX_RECORD = 32;

    private static final byte[] SPACES = "               ".getBytes(StandardCharsets.US_ASCII); // 15

    private UnitData() {
    }

    public static String recordsOf(String job) {
        return "jobs/" + job + ".units";
    }

    public static String indexOf(String job) {
        return "jobs/" + job + ".index";
    }

    /** Collects the records of one job, unit by unit, in index order. */
    public static final class Writer {
        private final ByteArrayOutputStream records = new ByteArrayOutputStream();
        private final ByteArrayOutputStream index = new ByteArrayOutputStream();

        public void add(List<String> args, java.util.Map<String, String> env) {
            int offset = records.size();
            field(Integer.toString(args.size()));
            args.forEach(this::field);
            env.forEach((name, value) -> field(name + "=" + value));
            padded(offset);
            index.write(' ');
            padded(records.size() - offset);
            index.write('\n');
        }

        /**
         * {@code %15d}, without a Formatter per unit (a third of a 100,000-unit launch's time), and its spaces in one
         * write (the stream's writes are synchronized: a byte at a time, 2.6 million of them).
         */
        private void padded(long n) {
            byte[] digits = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
            index.write(SPACES, 0, SPACES.length - digits.length);
            index.writeBytes(digits);
        }

        private void field(String value) {
            records.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            records.write(0);
        }

        public byte[] records() {
            return records.toByteArray();
        }

        public byte[] index() {
            return index.toByteArray();
        }
    }
}
