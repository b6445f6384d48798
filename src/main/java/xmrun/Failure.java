package xmrun;

/**
 * A runtime failure outside the user's files: a scheduler that said no, a transport that broke,
 * a store that cannot be written. The CLI prints the message and exits with code 1. A failure of a
 * common kind ({@link FaultKind}) says so; its message then starts with that kind's first words.
 */
public class Failure extends RuntimeException {
    private final FaultKind kind;

    public Failure(String message) {
        this(message, null, null);
    }

    public Failure(String message, Throwable cause) {
        this(message, null, cause);
    }

    public Failure(String message, FaultKind kind, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** The common kind of this failure, or null. */
    public FaultKind kind() {
        return kind;
    }

    /** Whether it may pass by itself (see {@link FaultKind#passing()}). */
    public boolean passing() {
        return kind != null && kind.passing();
    }
}
