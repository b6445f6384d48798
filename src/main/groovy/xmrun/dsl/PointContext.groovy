package xmrun.dsl

import groovy.transform.CompileStatic

/**
 * The inside of {@code exclude { lr > 1e-3 && seed == 0 }}: each axis is a variable holding the
 * point's value. One context serves every point; the filter moves it from point to point.
 */
@CompileStatic
class PointContext extends DslContext {
    private final Set<String> names
    Map<String, Object> point = [:]

    PointContext(Collection<String> names) {
        this.names = new LinkedHashSet<>(names)
    }

    String blockName() { 'exclude { }' }

    /** The axis names, so a misspelt one gets a "did you mean". */
    Set<String> keywords() { new TreeSet<>(names) }

    /** {@code exclude { seed = 0 }} is a comparison that lost an '='. */
    void setProperty(String property, Object value) {
        throw new DslError("'$property = ...' in exclude { } assigns; compare with $property == ...")
    }

    /** An axis the point lacks (a concat of sweeps over different axes) reads as null. */
    Object getProperty(String name) {
        if (names.contains(name)) {
            return point.get(name)
        }
        throw new MissingPropertyException(name, PointContext)
    }
}
