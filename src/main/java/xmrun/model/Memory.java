package xmrun.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes as users write them for schedulers ('512M', '16G', '1.5T'), held in MiB. */
public final class Memory {
    // Slurm's --mem takes K, M, G, T suffixes (binary multiples); we accept a trailing B or iB after
    // the suffix too ('16GB', '16GiB'). A B alone ('16B') would read as bytes, so it is refused.
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([KMGT])(?:i?B)?)?", Pattern.CASE_INSENSITIVE);
    /** 1 EiB: far beyond any node, and small enough that KiB and bytes of it still fit a long. */
    static final long LARGEST_MIB = 1L << 40;

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
        if (mib <= 0) {
            throw new IllegalArgumentException("bad memory size '" + text + "': must be more than zero");
        }
        if (mib > LARGEST_MIB) {
            throw new IllegalArgumentException("bad memory size '" + text + "': more than 1 EiB");
        }
        return (long) Math.ceil(mib);
    }
}
