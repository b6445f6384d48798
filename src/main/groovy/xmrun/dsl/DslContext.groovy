package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.SourceRef

import java.lang.reflect.Method
import java.lang.reflect.Modifier

/** A closure's delegate; its public methods are the words allowed in that block. */
@CompileStatic
abstract class DslContext {
    private static final Set<String> NOT_WORDS = ['getMetaClass', 'setMetaClass', 'invokeMethod', 'getProperty',
                                                  'setProperty', 'methodMissing', 'propertyMissing', 'blockName',
                                                  'keywords', 'build'] as Set

    /** How the block is called in messages: {@code job('train') { }}. */
    abstract String blockName()

    Set<String> keywords() {
        Set<String> words = new TreeSet<>()
        for (Method m : getClass().methods) {
            if (m.declaringClass != Object && m.declaringClass != GroovyObject && Modifier.isPublic(m.modifiers)
                    && !m.name.contains('$') && !(m.name in NOT_WORDS) && !m.name.startsWith('get')) {
                words << m.name
            }
        }
        words
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
        String shown = value instanceof CharSequence ? "'$value'" : value.toString()
        "$shown (${value.getClass().simpleName})"
    }
}
