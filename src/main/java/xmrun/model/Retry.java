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

    /** What xmrun adds to a failed unit's reason while its next attempt waits (for a secret); the kind is what precedes it. */
    public static final String WAITS = "retry waits: ";

    /** The reason with a note that the retry waits, and why; a reason that has one gets the new one instead. */
    public static String waiting(String reason, String why) {
        String base = reason == null ? "" : reason.contains(WAITS) ? reason.substring(0, reason.indexOf(WAITS)) : reason + "; ";
        return base + WAITS + why;
    }

    /** The kind of a failed unit, from the reason status gave it. */
    public static String kindOf(String reason) {
        if (reason == null) {
            return "FAILED";
        }
        if (reason.contains(WAITS)) {
            reason = reason.substring(0, reason.indexOf(WAITS)).replaceFirst("; $", "");
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
