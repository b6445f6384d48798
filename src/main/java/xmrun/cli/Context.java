package xmrun.cli;

import xmrun.app.XmrunHome;

import java.io.PrintWriter;
import java.util.Map;

/** What every command gets instead of reaching for globals: its streams, environment and home. */
public record Context(PrintWriter out, PrintWriter err, Map<String, String> env, XmrunHome home) {
}
