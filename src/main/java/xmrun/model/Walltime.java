package xmrun.model;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time limits as users write them: '90s', '30m', '2h', '1d', '1h30m', or the scheduler forms
 * 'MM:SS', 'HH:MM:SS' and 'D-HH:MM:SS' (sbatch(1), --time).
 */
public final class Walltime {
    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)d)?\\s*(?:(\\d+)h)?\\s*(?:(\\d+)m)?\\s*(?:(\\d+)s)?");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+)");
    /** No batch queue runs a job for a year; a longer limit is a typo ('3000h' for '300h'). */
    static final Duration LONGEST = Duration.ofDays(365);

    private Walltime() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d = t.contains(":") ? parseClock(text, t) : t.isEmpty() ? null : parseUnits(text, t);
        if (d == null) {
            throw bad(text, "expected like '2h', '30m', '1d12h' or '01:30:00'");
        }
        if (d.isZero()) {
            throw bad(text, "must be more than zero");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw bad(text, "more than " + LONGEST.toDays() + " days");
        }
        return d;
    }

    private static Duration parseUnits(String text, String t) {
        Matcher m = UNITS.matcher(t);
        if (!m.matches()) {
            return null;
        }
        return Duration.ofDays(num(text, m.group(1))).plusHours(num(text, m.group(2)))
                .plusMinutes(num(text, m.group(3))).plusSeconds(num(text, m.group(4)));
    }

    /**
     * A clock form reads like a clock: '25:61:00' is a typo, not 26 hours and one minute, so minutes
     * and seconds stop at 59, and hours at 23 after a day count. Only leading hours may run over
     * ('48:00:00'); longer limits in other units are written '90m', '36h' or '1d12h'.
     */
    private static Duration parseClock(String text, String t) {
        Matcher m = CLOCK.matcher(t);
        if (!m.matches()) {
            return null;
        }
        boolean days = m.group(1) != null;
        boolean hours = m.group(2) != null;
        if (days && !hours) {
            return null; // 'D-MM:SS' is not a scheduler form
        }
        if (days) {
            field(text, "hours", m.group(2), 23);
        }
        field(text, "minutes", m.group(3), 59); // in 'MM:SS' too: 90 minutes is written '90m' or '1:30:00'
        field(text, "seconds", m.group(4), 59);
        return Duration.ofDays(num(text, m.group(1))).plusHours(num(text, m.group(2)))
                .plusMinutes(num(text, m.group(3))).plusSeconds(num(text, m.group(4)));
    }

    private static void field(String text, String name, String digits, int max) {
        if (digits.length() > 2 || Integer.parseInt(digits) > max) {
            throw bad(text, name + " must be 00-" + max + ", got " + digits);
        }
    }

    /** At most nine digits: larger counts are far past {@link #LONGEST} and would overflow a Duration. */
    private static long num(String text, String s) {
        if (s == null) {
            return 0;
        }
        if (s.length() > 9) {
            throw bad(text, "more than " + LONGEST.toDays() + " days");
        }
        return Long.parseLong(s);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad time '" + text + "': " + why);
    }

    /** Slurm and SGE both accept [D-]HH:MM:SS; we always emit HH:MM:SS with hours past 24. */
    public static String clock(Duration d) {
        long s = d.getSeconds();
        return String.format("%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }
}
