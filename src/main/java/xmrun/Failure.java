package xmrun;

/**
 * A runtime failure outside the user's files: a scheduler that said no, a transport that broke,
 * a store that cannot be written. The CLI prints the message and exits with code 1.
 */
public class Failure extends RuntimeException {
    public Failure(String message) {
        super(message);
    }

    public Failure(String message, Throwable cause) {
        super(message, cause);
    }
}
