package xmrun.render;

import io.pebbletemplates.pebble.loader.Loader;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * A loader of the chain that tells which templates it answered, with their text: what an experiment's provenance
 * records of the templates its scripts came from. Pebble asks each loader in turn; only the one that answers tells.
 */
final class RecordingLoader<T> implements Loader<T> {
    private final Loader<T> loader;
    private final String origin;
    private final Consumer<TemplateUse> used;

    RecordingLoader(Loader<T> loader, String origin, Consumer<TemplateUse> used) {
        this.loader = loader;
        this.origin = origin;
        this.used = used;
    }

    @Override
    public Reader getReader(T cacheKey) {
        try (Reader r = loader.getReader(cacheKey)) {
            StringBuilder text = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) {
                text.append(buf, 0, n);
            }
            used.accept(new TemplateUse(cacheKey.toString(), origin, text.toString()));
            return new StringReader(text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void setCharset(String charset) {
        loader.setCharset(charset);
    }

    @Override
    public void setPrefix(String prefix) {
        loader.setPrefix(prefix);
    }

    @Override
    public void setSuffix(String suffix) {
        loader.setSuffix(suffix);
    }

    @Override
    public String resolveRelativePath(String relativePath, String anchorPath) {
        return loader.resolveRelativePath(relativePath, anchorPath);
    }

    @Override
    public T createCacheKey(String templateName) {
        return loader.createCacheKey(templateName);
    }

    @Override
    public boolean resourceExists(String templateName) {
        return loader.resourceExists(templateName);
    }
}
