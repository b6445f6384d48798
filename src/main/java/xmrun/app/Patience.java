package xmrun.app;

import xmrun.Failure;
import xmrun.FaultKind;
import xmrun.UserError;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waits out faults that pass by themselves ({@link FaultKind#passing()}): a controller restarted for an upgrade
 * or failing over, a connection that dropped. A call that fails so is tried again with growing pauses (1 s, 2 s,
 * 4 s, up to 10 s) for at most {@link #limit()} from the start of the trouble; one line says when the trouble
 * starts, one when it ends. Only for calls that are safe to repeat: reading states, results and output. A
 * submission is never repeated (it may have gone through); a status refresh that resubmits failed units claims
 * them in the store first, so running it again does not submit them twice.
 */
public final class Patience {
    public static final Duration DEFAULT = Duration.ofMinutes(5);
    /** Where users set it: {@code XMRUN_PATIENCE=10m}, {@code 90s}, {@code 300} (seconds), {@code 0} (fail at once). */
    public static final String VARIABLE = "XMRUN_PATIENCE";
    static final long FIRST_PAUSE_MS = 1_000;
    static final long MAX_PAUSE_MS = 10_000;

    /** Fails at once, says nothing: for callers without a person watching. */
    public static final Patience NONE = new Patience(Duration.ZERO, line -> { }, Clock.SYSTEM);

    /** Time as the waits see it; tests pass one that does not sleep. */
    public interface Clock {
        long nanos();

        void sleep(long millis) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            public long nanos() {
                return System.nanoTime();
            }

            public void sleep(long millis) throws InterruptedException {
                Thread.sleep(millis);
            }
        };
    }

    /** The trouble lasted longer than the limit: the last failure's words, and for how long it was waited out. */
    public static final class GaveUp extends Failure {
        GaveUp(Failure last, Duration waited, Duration limit) {
            super(last.getMessage() + "; still failing after " + human(waited) + ", giving up (" + VARIABLE + "=" + setting(limit)
                    + "; set it to wait longer)", last.kind(), last);
        }
    }

    private final Duration limit;
    private final Consumer<String> notices;
    private final Clock clock;
    private Failure trouble;
    private long troubleSince;

    public Patience(Duration limit, Consumer<String> notices, Clock clock) {
        this.limit = limit;
        this.notices = notices;
        this.clock = clock;
    }

    /** From {@code XMRUN_PATIENCE} (default {@link #DEFAULT}), telling {@code notices} when trouble starts and ends. */
    public static Patience fromEnvironment(Map<String, String> env, Consumer<String> notices) {
        String value = env.get(VARIABLE);
        return new Patience(value == null || value.isBlank() ? DEFAULT : parse(value), notices, Clock.SYSTEM);
    }

    private static final Pattern TIME = Pattern.compile("(\\d{1,6})\\s*(s|m|min|h)?");

    static Duration parse(String value) {
        Matcher m = TIME.matcher(value.strip());
        if (!m.matches()) {
            throw new UserError(VARIABLE + " must be a time like 300 (seconds), 90s, 10m or 1h; got '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "h" -> Duration.ofHours(n);
            case "m", "min" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    public Duration limit() {
        return limit;
    }

    /** The action's result, once it has one; a failure that does not pass, or outlasts the limit, is thrown. */
    public <T> T call(Supplier<T> action) throws InterruptedException {
        long pause = FIRST_PAUSE_MS;
        while (true) {
            try {
                T result = action.get();
                if (trouble != null) {
                    String back = trouble.kind() == FaultKind.SCHEDULER_DOWN ? "the scheduler answers again" : "connected again";
                    notices.accept("xmrun: " + back + " after " + human(Duration.ofNanos(clock.nanos() - troubleSince)));
                    trouble = null;
                }
                return result;
            } catch (Failure f) {
                if (!f.passing()) {
                    throw f;
                }
                long now = clock.nanos();
                if (trouble == null) {
                    troubleSince = now;
                    if (!limit.isZero()) {
                        // one line, though the scheduler's words may take several
                        notices.accept("xmrun: " + f.getMessage().strip().replaceAll("\\s*\\R\\s*", " ") + "; trying again for up to "
                                + human(limit));
                    }
                }
                trouble = f;
                long leftMs = limit.toMillis() - (now - troubleSince) / 1_000_000;
                if (leftMs <= 0) {
                    trouble = null;
                    if (limit.isZero()) {
                        throw f;
                    }
                    throw new GaveUp(f, Duration.ofNanos(now - troubleSince), limit);
                }
                clock.sleep(Math.min(pause, leftMs));
                pause = Math.min(MAX_PAUSE_MS, pause * 2);
            }
        }
    }

    /** The same, for an action with no result. */
    public void run(Runnable action) throws InterruptedException {
        call(() -> {
            action.run();
            return null;
        });
    }

    static String human(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        if (s < 120 && (s < 60 || s % 60 != 0)) {
            return s + " s";
        }
        return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    }

    private static String setting(Duration d) {
        long s = d.getSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
