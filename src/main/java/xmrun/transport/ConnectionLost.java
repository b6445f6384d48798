package xmrun.transport;

import xmrun.Failure;

/**
 * The connection dropped while a command was running: it may or may not have taken effect, so it is
 * never repeated blindly, and nothing that depends on the remote side (like cancelling) is attempted.
 */
public class ConnectionLost extends Failure {
    public ConnectionLost(String message, Throwable cause) {
        super(message, cause);
    }
}
