package xmrun.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time limits as users write them: '90s', '30m', '2h', '1d', '1h30m', or the scheduler forms
 * 'MM:SS', 'HH:MM:SS' and 'D-HH:MM:SS' (sbatch(1), --time).
 */
public final class Walltime {
    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)d)?\\s*(?:(\\d+)h)?\\s*(?:(\\d+)m)?\\s*(?:(\\d+)s)?");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d{1,2})");

    private Walltime() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase();
        Duration d = t.isEmpty() ? null : parseUnits(t);
        if (d == null) {
            d = parseClock(t);
        }
        if (d == null || d.isZero()) {
            throw new IllegalArgumentException("bad time '" + text + "': expected like '2h', '30m', '1d12h' or '01:30:00'");
        }
        return d;
    }

    private static Duration parseUnits(String t) {
        Matcher m = UNITS.matcher(t);
        if (!m.matches()) {
            return null;
        }
        return Duration.ofDays(num(m.group(1))).plusHours(num(m.group(2)))
                .plusMinutes(num(m.group(3))).plusSeconds(num(m.group(4)));
    }

    private static Duration parseClock(String t) {
        Matcher m = CLOCK.matcher(t);
        if (!m.matches()) {
            return null;
        }
        if (m.group(1) != null && m.group(2) == null) {
            return null; // 'D-MM:SS' is not a scheduler form
        }
        return Duration.ofDays(num(m.group(1))).plusHours(num(m.group(2)))
                .plusMinutes(num(m.group(3))).plusSeconds(num(m.group(4)));
    }

    private static long num(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }

    /** Slurm and SGE both accept [D-]HH:MM:SS; we always emit HH:MM:SS with hours past 24. */
    public static String clock(Duration d) {
        long s = d.getSeconds();
        return String.format("%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }
}
