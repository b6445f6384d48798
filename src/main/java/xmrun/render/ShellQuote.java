package xmrun.render;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one shell-quoting helper. Everything user-given that reaches a shell (a rendered script, a
 * remote command line) passes through here; nothing is ever joined with spaces and re-split.
 */
public final class ShellQuote {
    // Characters no POSIX shell treats specially, in any position; anything else gets quoted.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    /**
     * Single quotes keep every byte literal (spaces, $, backticks, backslashes, newlines); the only
     * character they cannot hold is ' itself, written as '\'' (close, escaped quote, reopen).
     */
    public static String quote(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * {@link #quote} for a bash script: a line break is written as $'\n', so no value starts a line of
     * the script. Grid Engine's qsub reads every line starting with '#$' as a directive (qsub(1)), even
     * one inside a quoted string.
     */
    public static String quoteForScript(String word) {
        return quote(word).replace("\n", "'$'\\n''");
    }

    public static String joinForScript(List<String> words) {
        return String.join(" ", words.stream().map(ShellQuote::quoteForScript).toList());
    }

    /** A command line for {@code sh -c}: each element quoted, joined by single spaces. */
    public static String join(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(a));
        }
        return sb.toString();
    }
}
