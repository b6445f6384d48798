package xmrun.model;

import xmrun.UserError;

/** A user error tied to a line of the launcher: printed as {@code FILE:LINE: message}. */
public class ScriptError extends UserError {
    private final SourceRef where;
    private final String detail;

    public ScriptError(SourceRef where, String detail) {
        super(where + ": " + detail);
        this.where = where;
        this.detail = detail;
    }

    public SourceRef where() {
        return where;
    }

    public String detail() {
        return detail;
    }
}
