package xmrun.render;

import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.loader.Loader;

import java.io.Reader;
import java.io.StringReader;
import java.util.Map;

/** Templates by name from texts kept in the experiment store: a relaunch renders with the ones its experiment used. */
final class StoredLoader implements Loader<String> {
    private final Map<String, String> texts;

    StoredLoader(Map<String, String> texts) {
        this.texts = texts;
    }

    @Override
    public Reader getReader(String name) {
        String text = texts.get(name);
        if (text == null) {
            throw new LoaderException(null, "not stored: " + name);
        }
        return new StringReader(text);
    }

    @Override
    public boolean resourceExists(String name) {
        return texts.containsKey(name);
    }

    @Override
    public String createCacheKey(String name) {
        return name;
    }

    @Override
    public String resolveRelativePath(String relativePath, String anchorPath) {
        return null; // templates name each other from the chain's root
    }

    @Override
    public void setCharset(String charset) {
    }

    @Override
    public void setPrefix(String prefix) {
    }

    @Override
    public void setSuffix(String suffix) {
    }
}
