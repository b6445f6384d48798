package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.packs.Repositories

/** {@code repositories { maven 'file:///srv/lab-maven'; mavenCentral() }}: Maven Central only if named. */
@CompileStatic
class RepositoriesContext extends DslContext {
    private final List<String> urls = []
    private boolean central

    String blockName() { 'repositories { }' }

    void maven(Object url) {
        String u = text('maven', url)
        if (!(u ==~ /(?i)(file|https?):.+/)) {
            throw new DslError("maven repository must be a file:, http: or https: URL, got '$u'")
        }
        urls << (u.endsWith('/') ? u : u + '/')
    }

    void mavenCentral() {
        central = true
    }

    Repositories build() {
        new Repositories(urls, central)
    }
}
