package xmrun.model;

import java.util.List;
import java.util.Set;

/**
 * {@code retry 3, on: ['TIMEOUT', 'PREEMPTED']}: a failed work unit is submitted again, up to {@code times}
 * more attempts, when the way it failed is one of {@code on}.
 */
public record Retry(int times, Set<String> on) {
    /**
     * How a unit can fail, as status tells (the scheduler's words where it has them): killed at its time
     * limit, preempted, lost with its node, killed for its memory, or ended with a non-zero exit code or a
     * signal (FAILED).
     */
    public static final List<String> KINDS = List.of("TIMEOUT", "PREEMPTED", "NODE_FAIL", "OUT_OF_MEMORY", "FAILED");

    public Retry {
        on = Set.copyOf(on);
    }

    public static Retry anyFailure(int times) {
        return new Retry(times, Set.copyOf(KINDS));
    }

    /** The kind of a failed unit, from the reason status gave it. */
    public static String kindOf(String reason) {
        if (reason == null) {
            return "FAILED";
        }
        return switch (reason) {
            case "TIMEOUT", "DEADLINE" -> "TIMEOUT";
            case "PREEMPTED" -> "PREEMPTED";
            case "NODE_FAIL", "BOOT_FAIL" -> "NODE_FAIL";
            case "OUT_OF_MEMORY" -> "OUT_OF_MEMORY";
            default -> "FAILED";
        };
    }

    /** Whether a unit that failed for {@code reason} on attempt {@code attempt} is run again. */
    public boolean allows(String reason, int attempt) {
        return attempt <= times && on.contains(kindOf(reason));
    }
}
