package xmrun.model;

import xmrun.UserError;

/**
 * A user error tied to a line of the launcher: printed as {@code FILE:LINE: message}, always on one
 * line, so values quoted from the launcher have their control characters escaped ('a\nb').
 */
public class ScriptError extends UserError {
    public ScriptError(SourceRef where, String detail) {
        super(where + ": " + oneLine(detail));
    }

    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
