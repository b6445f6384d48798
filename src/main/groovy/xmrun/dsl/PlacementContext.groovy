package xmrun.dsl

import groovy.transform.CompileStatic

/** {@code slurm { partition 'main'; account 'lab' }} or {@code sge { queue 'all.q'; project 'lab' }}: cluster-wide defaults. */
@CompileStatic
class PlacementContext extends DslContext {
    private final String name
    private final List<String> allowed
    final Map<String, String> values = [:]

    PlacementContext(String name, List<String> allowed) {
        this.name = name
        this.allowed = allowed
    }

    String blockName() { name }

    Set<String> keywords() { allowed as Set<String> }

    def methodMissing(String word, Object args) {
        Object[] a = (Object[]) args
        if (!(word in allowed) || a.length != 1) {
            throw new MissingMethodException(word, PlacementContext, a)
        }
        once(word)
        values[word] = text(word, a[0])
        null
    }
}
