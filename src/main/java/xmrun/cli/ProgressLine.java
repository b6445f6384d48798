package xmrun.cli;

import xmrun.stage.Progress;

import java.io.PrintWriter;

/** An upload progress line on a terminal, redrawn in place at most ten times a second; nothing when output is not a terminal. */
final class ProgressLine implements Progress {
    private final PrintWriter err;
    private long lastDrawn;

    private ProgressLine(PrintWriter err) {
        this.err = err;
    }

    static Progress onTerminal(PrintWriter err) {
        return System.console() == null ? Progress.NONE : new ProgressLine(err);
    }

    @Override
    public void update(long done, long total) {
        long now = System.nanoTime();
        boolean last = done >= total;
        if (!last && now - lastDrawn < 100_000_000L) {
            return;
        }
        lastDrawn = now;
        int width = 30;
        int filled = total == 0 ? width : (int) Math.min(width, width * done / total);
        err.printf("\ruploading code [%s%s] %s / %s", "#".repeat(filled), " ".repeat(width - filled), Bytes.human(done), Bytes.human(total));
        if (last) {
            err.print("\r" + " ".repeat(80) + "\r");
        }
        err.flush();
    }
}
