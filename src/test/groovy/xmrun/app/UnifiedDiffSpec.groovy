package xmrun.app

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class UnifiedDiffSpec extends Specification {
    @TempDir
    Path dir

    def 'a changed line reads as diff -u prints it, with three lines of context'() {
        given:
        String a = (1..10).collect { "line $it" }.join('\n') + '\n'
        String b = a.replace('line 5\n', 'line five\n')

        expect:
        UnifiedDiff.of('a', a, 'b', b) == ['--- a', '+++ b', '@@ -2,7 +2,7 @@', ' line 2', ' line 3', ' line 4', '-line 5', '+line five',
                                           ' line 6', ' line 7', ' line 8']
    }

    def 'equal texts have no diff'() {
        expect:
        UnifiedDiff.of('a', 'x\ny\n', 'b', 'x\ny\n') == []
    }

    def 'patch(1) turns the first text into the second with the diff: #name'() {
        given:
        Path file = dir.resolve('f')
        file.toFile().text = a
        dir.resolve('p').toFile().text = UnifiedDiff.of('f', a, 'f', b).join('\n') + '\n'

        when:
        def p = ['patch', '-s', file.toString(), dir.resolve('p').toString()].execute()
        p.waitFor()

        then:
        p.exitValue() == 0
        file.toFile().text == b

        where:
        name                     | a                                                | b
        'an added line at the top' | 'a\nb\nc\n'                                    | 'top\na\nb\nc\n'
        'a removed last line'    | 'a\nb\nc\n'                                      | 'a\nb\n'
        'changes far apart'      | (1..40).collect { "$it" }.join('\n') + '\n'      | (1..40).collect { it in [3, 30] ? "x$it" : "$it" }.join('\n') + '\n'
        'changes close together' | (1..12).collect { "$it" }.join('\n') + '\n'      | (1..12).collect { it in [3, 9] ? "x$it" : "$it" }.join('\n') + '\n'
        'from nothing'           | ''                                               | 'a\nb\n'
        'a newline added at the end' | 'a\nb'                                      | 'a\nb\n'
        'the last newline removed' | 'a\nb\nc\n'                                   | 'a\nb\nc'
        'random edits'           | random(1).join('\n') + '\n'                      | edited(random(1), 2).join('\n') + '\n'
    }

    static List<String> random(long seed) {
        def r = new Random(seed)
        (1..200).collect { "w${r.nextInt(20)}" }
    }

    static List<String> edited(List<String> lines, long seed) {
        def r = new Random(seed)
        List<String> out = new ArrayList<>(lines)
        30.times {
            int at = r.nextInt(out.size())
            switch (r.nextInt(3)) {
                case 0: out.remove(at); break
                case 1: out.add(at, "new${r.nextInt(5)}"); break
                default: out[at] = "changed${r.nextInt(5)}"
            }
        }
        out
    }
}
