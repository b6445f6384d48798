package xmrun.render;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The work units a retry submits again, as the file its array reads: task i of the array runs line i,
 * "INDEX ATTEMPT" in a fixed width, so a task finds its line with one read (see common/work-unit.sh.peb).
 * The array is submitted with {@code @FILE} where a first submission passes its sweep offset.
 */
public final class RetryList {
    /** "%15d %7d\n": 24 bytes per unit. */
    public static final int RECORD = 24;

    private RetryList() {
    }

    /** @param attemptByIndex sweep index -> the attempt it runs as, in task order */
    public static byte[] of(Map<Integer, Integer> attemptByIndex) {
        StringBuilder sb = new StringBuilder();
        attemptByIndex.forEach((index, attempt) -> sb.append(String.format("%15d %7d\n", index, attempt)));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
