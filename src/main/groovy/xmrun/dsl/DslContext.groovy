package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.SourceRef
import xmrun.model.Suggest

import java.lang.reflect.Method
import java.lang.reflect.Modifier

/** A closure's delegate; its public methods are the words allowed in that block. */
@CompileStatic
abstract class DslContext {
    private static final Set<String> NOT_WORDS = ['getMetaClass', 'setMetaClass', 'invokeMethod', 'getProperty',
                                                  'setProperty', 'methodMissing', 'propertyMissing', 'blockName',
                                                  'keywords', 'build', 'valueNames'] as Set

    /** How the block is called in messages: {@code job('train') { }}. */
    abstract String blockName()

    Set<String> keywords() {
        words(getClass())
    }

    /** The words of a block whose context is of this class: its public instance methods, less Groovy's and the context's own (static ones are helpers). */
    static Set<String> words(Class<? extends DslContext> type) {
        Set<String> words = new TreeSet<>()
        for (Method m : type.methods) {
            if (m.declaringClass != Object && m.declaringClass != GroovyObject && Modifier.isPublic(m.modifiers) && !Modifier.isStatic(m.modifiers)
                    && !m.name.contains('$') && !(m.name in NOT_WORDS) && !m.name.startsWith('get')) {
                words << m.name
            }
        }
        words
    }

    /** Words that take one value, and the line that gave it: a second value is a mistake, not an update. */
    private final Map<String, SourceRef> setAt = [:]

    /**
     * Names this block offers as values, like {@code none} in {@code sweep none}. Nothing else of the
     * context is visible to the user's code: a Groovy closure would otherwise read the context's private
     * fields, so {@code args tag: name} would get the job's name instead of the launcher's variable.
     */
    protected Set<String> valueNames() { Collections.<String>emptySet() }

    Object getProperty(String property) {
        if (property in valueNames()) {
            return metaClass.getProperty(this, property)
        }
        throw new MissingPropertyException(property, getClass())
    }

    /**
     * {@code cpus = 4} in a block sets nothing (it would make a script variable, or overwrite a private
     * field of the context without any check), so it is an error; local variables are declared with def.
     */
    void setProperty(String property, Object value) {
        if (property in keywords()) {
            throw new DslError("'$property = ...' in ${blockName()}: words take their values without '=', like $property ${example(value)}")
        }
        throw new DslError("'$property = ...' in ${blockName()} sets nothing; declare a variable with def $property = ..."
                + Suggest.didYouMean(property, keywords()))
    }

    private static String example(Object value) {
        value instanceof CharSequence ? "'$value'" : value instanceof Closure ? '{ ... }' : String.valueOf(value)
    }

    /** Records that {@code word} got its value here; a second time is an error naming the first line. */
    protected void once(String word) {
        SourceRef at = here()
        SourceRef first = setAt.putIfAbsent(word, at)
        if (first != null) {
            throw new DslError("'$word' is already set in ${blockName()} at line ${first.line()}")
        }
    }

    protected static SourceRef here() {
        DslRun.current().here()
    }

    protected static int wholeNumber(String word, Object value, int min) {
        if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > Integer.MAX_VALUE) {
            throw new DslError("'$word' expects a whole number of at least $min, got ${describe(value)}")
        }
        ((Number) value).intValue()
    }

    /**
     * A value that becomes part of an argument: a string (checked like {@link #text}), a number or a
     * boolean; anything else fails with {@code refusal} followed by what was given.
     */
    protected static Object scalar(String word, Object value, String refusal) {
        if (value instanceof CharSequence) {
            return text(word, value)
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value
        }
        throw new DslError("$refusal, got ${describe(value)}")
    }

    protected static String text(String word, Object value) {
        if (!(value instanceof CharSequence)) {
            throw new DslError("'$word' expects a string, got ${describe(value)}")
        }
        String s = value.toString()
        if (s.contains("\u0000")) {
            throw new DslError("'$word' value contains a NUL character, which no program argument can hold")
        }
        s
    }

    static String describe(Object value) {
        if (value == null) {
            return 'null'
        }
        if (value instanceof Closure) {
            return 'a { } block'
        }
        String shown = value instanceof CharSequence ? "'$value'" : value.toString()
        "$shown (${value.getClass().simpleName})"
    }

    /** The kind of a value in "cannot take (...)": a closure's class name means nothing to a user. */
    static String typeName(Object value) {
        value == null ? 'null' : value instanceof Closure ? '{ } block' : value.getClass().simpleName
    }
}
