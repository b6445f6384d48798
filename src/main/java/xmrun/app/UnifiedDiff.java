package xmrun.app;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts (diff -u, three lines of context), from a longest common subsequence of their lines.
 * For launchers and sweep files: texts of hundreds of lines, not of millions.
 */
final class UnifiedDiff {
    static final int CONTEXT = 3;
    /** Beyond this many line pairs the table would not fit in memory comfortably; the texts are then said to differ. */
    private static final long MAX_CELLS = 16_000_000L;

    private UnifiedDiff() {
    }

    /** Marks a last line without its newline, so that it differs from the same line with one (diff -u's "\ No newline"). */
    private static final String NO_NEWLINE = "\u0000no newline";

    /** The diff's lines, headers first; empty when the texts are equal. */
    static List<String> of(String aName, String a, String bName, String b) {
        if (a.equals(b)) {
            return List.of();
        }
        List<String> x = lines(a);
        List<String> y = lines(b);
        List<String> out = new ArrayList<>(List.of("--- " + aName, "+++ " + bName));
        if ((long) (x.size() + 1) * (y.size() + 1) > MAX_CELLS) {
            out.add("@@ the texts differ (" + x.size() + " and " + y.size() + " lines) @@");
            return out;
        }
        hunks(script(x, y), x, y, out);
        return out;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (!text.isEmpty() && !text.endsWith("\n")) {
            lines.set(lines.size() - 1, lines.get(lines.size() - 1) + NO_NEWLINE);
        }
        return lines;
    }

    private static void line(List<String> out, char op, String line) {
        if (line.endsWith(NO_NEWLINE)) {
            out.add(op + line.substring(0, line.length() - NO_NEWLINE.length()));
            out.add("\\ No newline at end of file");
        } else {
            out.add(op + line);
        }
    }

    /** The edit script, one character per step: ' ' keep, '-' delete from a, '+' insert from b. */
    private static String script(List<String> x, List<String> y) {
        int n = x.size();
        int m = y.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder ops = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && x.get(i).equals(y.get(j))) {
                ops.append(' ');
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.append('-'); // deletions before insertions, as diff -u prints a changed line
                i++;
            } else {
                ops.append('+');
                j++;
            }
        }
        return ops.toString();
    }

    /** Groups the changes with CONTEXT kept lines around each into @@ hunks. */
    private static void hunks(String ops, List<String> x, List<String> y, List<String> out) {
        int k = 0;
        int size = ops.length();
        // positions in a and b before each op
        int[] ai = new int[size + 1];
        int[] bi = new int[size + 1];
        for (int s = 0; s < size; s++) {
            char op = ops.charAt(s);
            ai[s + 1] = ai[s] + (op == '+' ? 0 : 1);
            bi[s + 1] = bi[s] + (op == '-' ? 0 : 1);
        }
        while (k < size) {
            while (k < size && ops.charAt(k) == ' ') {
                k++;
            }
            if (k == size) {
                return;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            int kept = 0;
            while (end < size && kept <= 2 * CONTEXT) {
                kept = ops.charAt(end) == ' ' ? kept + 1 : 0;
                end++;
            }
            end = kept > 0 ? Math.min(size, end - kept + CONTEXT) : end;
            int aLen = ai[end] - ai[start];
            int bLen = bi[end] - bi[start];
            out.add("@@ -" + range(ai[start], aLen) + " +" + range(bi[start], bLen) + " @@");
            for (int s = start; s < end; s++) {
                char op = ops.charAt(s);
                line(out, op, op == '+' ? y.get(bi[s]) : x.get(ai[s]));
            }
            k = end;
        }
    }

    /** diff -u's "START,LENGTH", START 1-based (0 for an empty range at the top). */
    private static String range(int start, int length) {
        return (length == 0 ? start : start + 1) + "," + length;
    }
}
