package xmrun.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes as users write them for schedulers ('512M', '16G', '1.5T'), held in MiB. */
public final class Memory {
    // Slurm's --mem takes K, M, G, T suffixes (binary multiples); we accept an optional trailing B too.
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT])?i?B?", Pattern.CASE_INSENSITIVE);

    private Memory() {
    }

    /** Parses a size into MiB; a bare number means MiB, as in Slurm. */
    public static long parseMib(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad memory size '" + text + "': expected a number with K, M, G or T, like '16G'");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "M" : m.group(2).toUpperCase(Locale.ROOT);
        double mib = switch (unit) {
            case "K" -> value / 1024;
            case "M" -> value;
            case "G" -> value * 1024;
            default -> value * 1024 * 1024;
        };
        long rounded = (long) Math.ceil(mib);
        if (rounded <= 0) {
            throw new IllegalArgumentException("bad memory size '" + text + "': must be more than zero");
        }
        return rounded;
    }
}
