package xmrun.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Process liveness on Linux, where an exited child can linger as a zombie until it is reaped. */
final class Processes {
    private Processes() {
    }

    /** True when the process exists and has not exited (zombies and dead processes count as gone). */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // proc(5): "pid (comm) state ..."; comm may contain spaces and parentheses, so look after the last ')'
            int close = stat.lastIndexOf(')');
            char state = stat.charAt(close + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
