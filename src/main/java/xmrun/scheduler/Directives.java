package xmrun.scheduler;

import xmrun.UserError;

/** Checks for values that go into directive lines, which schedulers split on white space. */
public final class Directives {
    private Directives() {
    }

    /** A directive value may not contain white space: a newline would even start a new script line. */
    public static String plain(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                throw new UserError(what + " '" + value.replace("\n", "\\n") + "' cannot contain spaces or newlines: it goes into a scheduler directive");
            }
        }
        return value;
    }
}
