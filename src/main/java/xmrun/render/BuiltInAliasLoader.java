package xmrun.render;

import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.loader.Loader;

import java.io.Reader;

/**
 * Answers only names starting with {@code builtin/}, from the built-in templates. A pack's
 * {@code slurm/job.sh.peb} can then extend the built-in {@code slurm/job.sh.peb} instead of itself.
 */
final class BuiltInAliasLoader implements Loader<String> {
    private final Loader<String> builtIn;

    BuiltInAliasLoader(Loader<String> builtIn) {
        this.builtIn = builtIn;
    }

    @Override
    public Reader getReader(String name) {
        if (!name.startsWith(TemplateChain.BUILT_IN_ALIAS)) {
            throw new LoaderException(null, "not a built-in alias: " + name);
        }
        return builtIn.getReader(name.substring(TemplateChain.BUILT_IN_ALIAS.length()));
    }

    @Override
    public boolean resourceExists(String name) {
        return name.startsWith(TemplateChain.BUILT_IN_ALIAS) && builtIn.resourceExists(name.substring(TemplateChain.BUILT_IN_ALIAS.length()));
    }

    @Override
    public String createCacheKey(String name) {
        return name;
    }

    @Override
    public String resolveRelativePath(String relativePath, String anchorPath) {
        return builtIn.resolveRelativePath(relativePath, anchorPath);
    }

    @Override
    public void setCharset(String charset) {
        builtIn.setCharset(charset);
    }

    @Override
    public void setPrefix(String prefix) {
        // the built-ins' prefix is fixed
    }

    @Override
    public void setSuffix(String suffix) {
        builtIn.setSuffix(suffix);
    }
}
