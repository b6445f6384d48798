package xmrun.render;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.DelegatingLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import xmrun.UserError;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders job scripts from Pebble templates. Strict variables: a template that names a value we do
 * not provide is an error, never an empty string in a script that then runs wrongly.
 */
public final class ScriptRenderer {
    private final PebbleEngine engine;
    private final TemplateChain chain;
    private final Map<String, PebbleTemplate> compiled = new HashMap<>();
    private final Map<String, TemplateUse> used = new java.util.LinkedHashMap<>();

    public ScriptRenderer(TemplateChain chain) {
        this.chain = chain;
        this.engine = new PebbleEngine.Builder()
                .loader(new DelegatingLoader(chain.loaders(u -> used.putIfAbsent(u.name(), u))))
                .strictVariables(true)
                .autoEscaping(false)       // shell scripts, not HTML: quoting is explicit via | shq
                .newLineTrimming(false)    // keep the newline after {{ expr }}; blocks trim with -%}
                .extension(new ShellExtension())
                .cacheActive(true)
                .build();
    }

    public TemplateChain chain() {
        return chain;
    }

    /** Every template loaded so far (each is loaded once), in the order loaded, with where it came from and its text. */
    public java.util.List<TemplateUse> templatesUsed() {
        return java.util.List.copyOf(used.values());
    }

    public String render(String templateName, Map<String, Object> context) {
        PebbleTemplate template = compiled.computeIfAbsent(templateName, this::compile);
        StringWriter out = new StringWriter();
        try {
            template.evaluate(out, context);
        } catch (PebbleException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof UserError refused) { // a template's own {{ fail(...) }}
                    throw refused;
                }
            }
            throw new UserError("template " + templateName + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private PebbleTemplate compile(String name) {
        try {
            return engine.getTemplate(name);
        } catch (LoaderException e) {
            throw new UserError("template '" + name + "' not found; searched " + chain.searched());
        } catch (PebbleException e) {
            throw new UserError("template " + name + ": " + e.getMessage());
        }
    }
}
