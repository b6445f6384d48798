package xmrun.transport;

import xmrun.Failure;
import xmrun.FaultKind;

/**
 * The connection dropped while a command was running: it may or may not have taken effect, so it is
 * never repeated blindly, and nothing that depends on the remote side (like cancelling) is attempted.
 * A read-only command (a status query) may be repeated once the connection is back.
 */
public class ConnectionLost extends Failure {
    public ConnectionLost(String message, Throwable cause) {
        super(message, FaultKind.CONNECTION_LOST, cause);
    }
}
