package xmrun.executor;

/** A rendered file, relative to the experiment's work dir. */
public record ScriptFile(String relativePath, String content, boolean executable) {
}
