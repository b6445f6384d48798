package xmrun.docs

import groovy.transform.Immutable

import java.nio.file.Files
import java.nio.file.Path

/** One fenced code block of a Markdown file: its info string (```groovy), its text and where it is. */
@Immutable
class FencedBlock {
    String language
    /** 1-based line of the block's first line of code (the line after the opening fence) */
    int line
    String text

    List<String> lines() { text.readLines() }

    /** Every fenced block of the file, in order; an unclosed fence is an error, not a silently lost block. */
    static List<FencedBlock> of(Path markdown) {
        if (!Files.isRegularFile(markdown)) {
            throw new IllegalStateException("$markdown not found (the working directory is ${Path.of('').toAbsolutePath()})")
        }
        List<FencedBlock> blocks = []
        String language = null
        int start = 0
        List<String> body = []
        Files.readAllLines(markdown).eachWithIndex { String l, int i ->
            if (language == null) {
                def open = l =~ /^```\s*([\w+-]*)\s*$/
                if (open.matches()) {
                    language = open.group(1)
                    start = i + 2
                    body = []
                }
            } else if (l ==~ /^```\s*$/) {
                blocks << new FencedBlock(language, start, body.collect { it + '\n' }.join(''))
                language = null
            } else {
                body << l
            }
        }
        if (language != null) {
            throw new IllegalStateException("$markdown:${start - 1}: a ``` block is never closed")
        }
        blocks
    }
}
