package xmrun.model;

import xmrun.UserError;

/** A user error tied to a line of the launcher: printed as {@code FILE:LINE: message}. */
public class ScriptError extends UserError {
    public ScriptError(SourceRef where, String detail) {
        super(where + ": " + detail);
    }
}
