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

    /** The diff's lines, headers first; empty when the texts are equal. */
    static List<String> of(String aName, String a, String bName, String b) {
        if (a.equals(b)) {
            return List.of();
        }
        List<String> x = a.lines().toList();
        List<String> y = b.lines().toList();
        List<String> out = new ArrayList<>(List.of("--- " + aName, "+++ " + bName));
        if ((long) (x.size() + 1) * (y.size() + 1) > MAX_CELLS) {
            out.add("@@ the texts differ (" + x.size() + " and " + y.size() + " lines) @@");
            return out;
        }
        String ops = script(x, y);
        hunks(ops, x, y, out);
        if (a.endsWith("\n") != b.endsWith("\n")) {
            out.add("\\ one text ends without a newline");
        }
        return out;
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
                out.add(op + (op == '+' ? y.get(bi[s]) : x.get(ai[s])));
            }
            k = end;
        }
    }

    /** diff -u's "START,LENGTH", START 1-based (0 for an empty range at the top). */
    private static String range(int start, int length) {
        return (length == 0 ? start : start + 1) + "," + length;
    }
}
