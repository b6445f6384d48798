package xmrun

/** Arguments that break launchers which join and re-split command lines: each must arrive byte for byte. */
class Hostile {
    static final List<String> STRINGS = ['two words', "single ' quote", 'double " quote', '$HOME', '`id`', '$(id)',
                                         'new\nline', 'ünïcødé ✓ 日本', 'back\\slash', '; echo injected', '', '*']

    /** The values as Groovy string literals for a launcher's sweep line: {@code 'a', 'b\n', ...}. */
    static String asGroovyValues(List<String> values) {
        values.collect { "'" + it.replace('\\', '\\\\').replace("'", "\\'").replace('\n', '\\n') + "'" }.join(', ')
    }
}
