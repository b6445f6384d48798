package xmrun;

/**
 * A problem with what the user gave us: a launcher, a config file or the command line.
 * The CLI prints only the message and exits with code 2; nothing has been submitted.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
