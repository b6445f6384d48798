package xmrun.local;

import xmrun.transport.ExecResult;
import xmrun.transport.Transport;

import java.util.List;

/**
 * The GPUs work units may use on this machine: those CUDA_VISIBLE_DEVICES names when it is set (a
 * user, or a scheduler around xmrun, already chose), else every GPU {@code nvidia-smi -L} lists.
 */
public final class MachineGpus {
    /** Prints one GPU id per line. Shared by the launch-time check and the runner, so both count alike. */
    public static final String DETECT = """
            if [ -n "${CUDA_VISIBLE_DEVICES+set}" ]; then
              printf '%s\\n' "$CUDA_VISIBLE_DEVICES" | tr ',' '\\n'
            elif command -v nvidia-smi >/dev/null 2>&1; then
              nvidia-smi -L 2>/dev/null | awk '/^GPU [0-9]+:/ { sub(":", "", $2); print $2 }'
            fi
            """;

    private MachineGpus() {
    }

    static List<String> ids(Transport transport) {
        return parse(transport.run(List.of("sh", "-c", DETECT)));
    }

    public static List<String> parse(ExecResult result) {
        return result.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
