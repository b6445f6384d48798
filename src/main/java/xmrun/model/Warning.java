package xmrun.model;

import java.time.Duration;

/**
 * {@code signal 'USR2', before: '90s'}: the program gets this signal that long before its time limit, so it can
 * checkpoint (Slurm {@code --signal=B:USR2@90}, Grid Engine's soft limit s_rt, the local scheduler itself).
 *
 * @param signal a signal name without SIG: USR1, USR2, TERM, INT, HUP, ...
 */
public record Warning(String signal, Duration before) {
    public static final java.util.List<String> SIGNALS = java.util.List.of("USR1", "USR2", "TERM", "INT", "HUP", "QUIT", "ALRM",
            "CONT", "WINCH", "URG", "XCPU");
}
