package xmrun.docs

import xmrun.dsl.LauncherLoader

/**
 * A ```groovy block of the README, classified by what it is, with the text that is evaluated for it:
 * launchers and cluster configs as they are; a sweep file through a launcher naming it; a fragment of
 * a launcher inside the smallest launcher that makes it whole (written out in every failure).
 */
class ExampleBlock {
    enum Kind {
        LAUNCHER('launcher'),
        CONFIG('cluster config'),
        SWEEP_FILE('sweep file'),
        JOB_FRAGMENT('fragment of a job'),
        EXPERIMENT_FRAGMENT('fragment of an experiment'),
        UNCLASSIFIED('unclassified block')

        final String text

        Kind(String text) { this.text = text }
    }

    static final String NAME = 'readme'

    final FencedBlock block
    final Kind kind
    /** for a sweep file: its path as the block's first line names it, e.g. sweeps/lr.sweep.groovy */
    final String sweepPath
    /** what is evaluated: the launcher or config (a sweep file's block is written to sweepPath) */
    final String evaluated
    /** lines of the evaluated text before the block's first line; -1 when the block is not in it */
    final int offset

    ExampleBlock(FencedBlock block) {
        this.block = block
        String text = block.text
        def sweepHeader = block.lines() ? block.lines().first() =~ /^\/\/\s*(\S+\.sweep\.groovy)\s*$/ : null
        if (sweepHeader?.matches()) {
            kind = Kind.SWEEP_FILE
            sweepPath = sweepHeader.group(1)
            evaluated = launcherOf("    job('$NAME') {\n        command 'true'\n        sweep file('$sweepPath')\n    }\n")
            offset = -1
        } else if (text =~ /\bexperiment\s*\(/) {
            kind = Kind.LAUNCHER
            evaluated = text
            offset = 0
        } else if (text =~ /(?m)^cluster\s*\(\s*'[^']*'\s*\)\s*\{/ || text =~ /(?m)^repositories\s*\{/) {
            kind = Kind.CONFIG
            evaluated = text
            offset = 0
        } else {
            String word = firstWord(text)
            Map<String, Set<String>> words = LauncherLoader.blocks()
            if (word in words['job { }']) {
                kind = Kind.JOB_FRAGMENT
                String command = text =~ /(?m)^\s*command\b/ ? '' : "        command 'true'\n"
                String head = "    job('$NAME') {\n$command"
                evaluated = launcherOf(head + text + "    }\n")
                offset = 1 + head.readLines().size()
            } else if (word in words['experiment { }']) {
                kind = Kind.EXPERIMENT_FRAGMENT
                String job = text =~ /\bjob\s*\(/ ? '' : "    job('$NAME') { command 'true' }\n"
                evaluated = launcherOf(text + job)
                offset = 1
            } else {
                kind = Kind.UNCLASSIFIED
                evaluated = text
                offset = 0
            }
        }
    }

    private static String launcherOf(String body) {
        "experiment('$NAME') {\n$body}\n"
    }

    /** The first word of the first line that is not blank or a comment. */
    private static String firstWord(String text) {
        String first = text.readLines().find { it.trim() && !it.trim().startsWith('//') }
        def m = first =~ /^\s*([A-Za-z_]\w*)/
        m.find() ? m.group(1) : null
    }

    boolean grabs() { block.text.contains('@Grab') }

    boolean wrapped() { kind in [Kind.SWEEP_FILE, Kind.JOB_FRAGMENT, Kind.EXPERIMENT_FRAGMENT] }

    String getDescription() {
        kind.text + (grabs() ? ' with @Grab' : '') + (wrapped() ? ', wrapped' : '')
    }

    /** The README line of line {@code n} of the evaluated text, or where in the wrapping it is. */
    String where(int n) {
        int inBlock = n - offset
        offset >= 0 && inBlock >= 1 && inBlock <= block.lines().size() ? "README.md:${block.line + inBlock - 1}"
                : "line $n of the wrapping"
    }

    /** The evaluated text, numbered, each line marked with its README line or as wrapping. */
    String numbered() {
        List<String> out = []
        if (kind == Kind.SWEEP_FILE) {
            out << "  $sweepPath (README.md:${block.line}):"
            block.lines().eachWithIndex { String l, int i -> out << String.format('  %4d | %s', block.line + i, l) }
            out << '  read through the launcher (wrapping):'
        }
        evaluated.readLines().eachWithIndex { String l, int i ->
            String w = where(i + 1)
            out << String.format('  %4s | %s', w.startsWith('README') ? w.substring(10) : '+', l)
        }
        out.join('\n')
    }
}
