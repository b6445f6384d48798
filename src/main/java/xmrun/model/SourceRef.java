package xmrun.model;

/** Where in the user's launcher a DSL word was written; every script error points here. */
public record SourceRef(String file, int line) {
    public static final SourceRef UNKNOWN = new SourceRef("<launcher>", 0);

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
