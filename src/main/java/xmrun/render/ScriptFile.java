package xmrun.render;

/** A rendered file, relative to the experiment's work dir. */
public record ScriptFile(String relativePath, byte[] content, boolean executable) {
}
