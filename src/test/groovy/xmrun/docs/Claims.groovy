package xmrun.docs

import xmrun.model.Experiment
import xmrun.model.Job
import xmrun.model.Sweep
import xmrun.plan.Plan
import xmrun.render.ShellQuote

/**
 * What the comments of an example promise, checked against what it builds: a count
 * ({@code // 10 work units}, {@code // 2 seeds x 3 points = 6 work units}: the last count of the comment)
 * and argument words ({@code // --epochs=10 '--tag=first try'}, shell-quoted as a dry run prints them).
 * A comment belongs to the last {@code job('NAME')} written at or before its line; before any job,
 * it speaks of the whole experiment (or, in a sweep file, of the whole sweep).
 */
class Claims {
    private static final String COUNT = /(\d[\d,]*) (work units?|points?)\b/
    private static final String ARG_WORD = /'--[^']*'|--[\w.-]+=[^\s,']*/

    static class Claim {
        int line
        String comment
        /** null: the whole experiment or sweep */
        String job
        Long count
        List<String> words

        String subject() { job == null ? 'the whole example' : "job '$job'" }
    }

    /** What was built, as the claims see it: work unit counts, and each job's first command line. */
    static class Built {
        long total
        Map<String, Long> counts = [:]
        Map<String, List<String>> firstWords = [:]

        static Built of(Experiment experiment) {
            Plan plan = new Plan(experiment)
            Built b = new Built(total: experiment.workUnitCount())
            for (Job j : experiment.jobs()) {
                b.counts[j.name()] = j.workUnitCount()
                b.firstWords[j.name()] = plan.workUnit(j, 0).argv().collect { ShellQuote.quote(it) }
            }
            b
        }

        static Built of(Sweep sweep) {
            new Built(total: sweep.size())
        }

        /** From the output of {@code xmrun launch --dry-run}: "job NAME: N work units", then "  ID  argv". */
        static Built ofDryRun(String out) {
            Built b = new Built()
            String job = null
            out.eachLine { String l ->
                def head = l =~ /^job (\S+): (\d+) work units?/
                def unit = l =~ /^\s+\d+\s{2}(.*)$/
                if (head.find()) {
                    job = head.group(1)
                    b.counts[job] = head.group(2) as long
                    b.total += b.counts[job]
                } else if (job != null && unit.matches() && !b.firstWords.containsKey(job)) {
                    b.firstWords[job] = (unit.group(1) =~ /'(?:[^']|'\\'')*'|\S+/).findAll() as List<String>
                }
            }
            b
        }
    }

    /** The claims in a text, with line numbers of that text. */
    static List<Claim> of(String source) {
        List<Claim> claims = []
        String job = null
        source.readLines().eachWithIndex { String l, int i ->
            def comment = l =~ /(?:^|\s)\/\/(.*)$/
            boolean commented = comment.find()
            String code = commented ? l.substring(0, comment.start()) : l
            def jobs = code =~ /\bjob\(\s*'([^']+)'/
            while (jobs.find()) {
                job = jobs.group(1)
            }
            if (commented) {
                String text = comment.group(1)
                List<String> counts = (text =~ COUNT).collect { it[1] }
                List<String> words = (text =~ ARG_WORD).findAll() as List<String>
                if (counts || words) {
                    claims << new Claim(line: i + 1, comment: '//' + text, job: job,
                            count: counts ? counts.last().replace(',', '') as Long : null, words: words)
                }
            }
        }
        claims
    }

    /** Each claim that does not hold, as a sentence naming its line (in {@code lineOf}'s numbering). */
    static List<String> check(List<Claim> claims, Built built, Closure<String> lineOf) {
        List<String> wrong = []
        claims.each { Claim c ->
            if (c.job != null && !built.counts.containsKey(c.job)) {
                wrong << "${lineOf(c.line)}: '${c.comment.trim()}' is in job '${c.job}', which was not built"
                return
            }
            if (c.count != null) {
                long actual = c.job == null ? built.total : built.counts[c.job]
                if (actual != c.count) {
                    String unit = c.job == null && built.counts.isEmpty() ? 'points' : 'work units'
                    wrong << "${lineOf(c.line)}: '${c.comment.trim()}' says ${c.count}, but ${c.subject()} has $actual $unit"
                }
            }
            if (c.words) {
                List<String> first = c.job == null ? null : built.firstWords[c.job]
                if (first == null) {
                    wrong << "${lineOf(c.line)}: '${c.comment.trim()}' shows arguments, but no job's command line is known there"
                } else if (!inOrder(c.words, first)) {
                    wrong << "${lineOf(c.line)}: '${c.comment.trim()}' shows ${c.words.join(' ')}, but ${c.subject()}'s first work unit runs: ${first.join(' ')}"
                }
            }
        }
        wrong
    }

    /** The words appear in the command line in this order (others may come between). */
    private static boolean inOrder(List<String> words, List<String> commandLine) {
        int at = 0
        for (String w : words) {
            int found = commandLine.subList(at, commandLine.size()).indexOf(w)
            if (found < 0) {
                return false
            }
            at += found + 1
        }
        true
    }
}
