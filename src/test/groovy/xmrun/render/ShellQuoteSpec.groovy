package xmrun.render

import spock.lang.Specification

class ShellQuoteSpec extends Specification {
    static final List<String> HOSTILE = ['plain', '', 'two words', "it's", '"double"', '$HOME', '${PATH}', '`id`', '$(id)',
                                         'back\\slash', 'new\nline', 'tab\there', 'ünïcødé ✓ 日本', '*', '-n', ';rm -rf /', "'", "''",
                                         'a|b&c>d<e', '!bang', '~', '#hash', '%s']

    def 'safe words stay as they are and everything else is single-quoted: #word'() {
        expect:
        ShellQuote.quote(word) == quoted

        where:
        word        || quoted
        'abc-1.2'   || 'abc-1.2'
        '--lr=0.1'  || '--lr=0.1'
        ''          || "''"
        'a b'       || "'a b'"
        "it's"      || "'it'\\''s'"
        '$HOME'     || "'\$HOME'"
    }

    def 'bash reads every hostile word back byte for byte'() {
        given:
        String script = 'printf "%s\\0" ' + ShellQuote.join(HOSTILE)

        when:
        Process p = new ProcessBuilder('bash', '-c', script).start()
        byte[] out = p.inputStream.readAllBytes()
        p.waitFor()

        then:
        p.exitValue() == 0
        new String(out, 'UTF-8').split('\0', -1).toList().dropRight(1) == HOSTILE
    }

    def 'in a script no value starts a line, and bash still reads every word back byte for byte'() {
        given:
        List<String> words = HOSTILE + ['x\n#$ -N injected', '\n', "a'\nb"]
        String script = 'printf "%s\\0" ' + ShellQuote.joinForScript(words)

        when:
        Process p = new ProcessBuilder('bash', '-c', script).start()
        byte[] out = p.inputStream.readAllBytes()
        p.waitFor()

        then:
        !script.contains('\n')
        p.exitValue() == 0
        new String(out, 'UTF-8').split('\0', -1).toList().dropRight(1) == words
    }
}
