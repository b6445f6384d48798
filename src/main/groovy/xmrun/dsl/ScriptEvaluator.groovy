package xmrun.dsl

import groovy.transform.CompileStatic
import org.codehaus.groovy.control.CompilationFailedException
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.control.messages.SyntaxErrorMessage
import xmrun.UserError
import xmrun.model.ScriptError
import xmrun.model.SourceRef
import xmrun.model.Suggest

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path

/**
 * Evaluates a DSL file (a launcher, a cluster config). Every way a script can go wrong ends here as
 * one {@link ScriptError} reading {@code FILE:LINE: message}.
 */
@CompileStatic
class ScriptEvaluator {
    /** @param blocks which block each word belongs to (built only on error), to explain a misplaced word */
    ScriptEvaluator(Class<? extends Script> baseClass, Map<String, Set<String>> topWords, Closure<Map<String, Set<String>>> blocks) {
        this.baseClass = baseClass
        this.topWords = topWords
        this.blocks = blocks
    }

    private final Class<? extends Script> baseClass
    private final Map<String, Set<String>> topWords
    private final Closure<Map<String, Set<String>>> blocks

    /**
     * Runs the file and then {@code finish} on its script object, inside the same error handling.
     *
     * @param displayName the path as the user typed it, used in messages
     */
    def <R> R evaluate(Path file, String displayName, Binding binding, Closure<R> finish) {
        evaluate(file, read(file, displayName), displayName, binding, finish)
    }

    /** The same, for a file's text kept from earlier (a resume evaluates the launcher as it was launched). */
    def <R> R evaluate(Path file, String source, String displayName, Binding binding, Closure<R> finish) {
        String className = classNameFor(file)
        CompilerConfiguration config = new CompilerConfiguration()
        config.scriptBaseClass = baseClass.name
        config.sourceEncoding = 'UTF-8'
        Script script
        try {
            GroovyClassLoader loader = new GroovyClassLoader(ScriptEvaluator.classLoader, config)
            script = ScriptCache.load(source, className, config, loader).getDeclaredConstructor().newInstance()
            script.binding = binding
        } catch (CompilationFailedException e) {
            throw grabError(e, source, displayName) ?: compileError(e, displayName)
        }
        DslRun run = new DslRun(displayName, className, script, file)
        DslRun.with(run) {
            try {
                script.run()
                finish.call(script)
            } catch (ScriptError e) {
                throw e
            } catch (Throwable e) {
                throw translate(e, run, source)
            }
        }
    }

    static String read(Path launcher, String displayName) {
        try {
            new String(Files.readAllBytes(launcher), StandardCharsets.UTF_8)
        } catch (NoSuchFileException ignored) {
            throw new UserError("$displayName: no such file")
        } catch (IOException e) {
            throw new UserError("$displayName: cannot read: ${e.message}")
        }
    }

    /** A class name Groovy accepts for any file name ('hello.xm.groovy' has dots, some names start with digits). */
    static String classNameFor(Path launcher) {
        String base = launcher.fileName.toString().replaceAll(/\.groovy$/, '').replaceAll(/[^A-Za-z0-9_]/, '_')
        'Xm_' + base
    }

    /** "Error grabbing Grapes -- [unresolved dependency: g#a;v: not found]" becomes one line naming the coordinate. */
    private static ScriptError grabError(CompilationFailedException e, String source, String displayName) {
        def m = e.message =~ /unresolved dependency: ([^#\s]+)#([^;\s]+);([^:\s\]]+)(?::\s*([^\]\n]+))?/
        if (!e.message.contains('Error grabbing Grapes') || !m.find()) {
            return null
        }
        String artifact = m.group(2)
        List<String> lines = source.readLines()
        int line = lines.findIndexOf { it.contains('@Grab') && it.contains(artifact) } + 1
        new ScriptError(new SourceRef(displayName, line),
                "cannot @Grab ${m.group(1)}:${artifact}:${m.group(3)}: ${m.group(4)?.trim() ?: 'not found'} in the configured repositories")
    }

    private static ScriptError compileError(CompilationFailedException e, String displayName) {
        if (e instanceof MultipleCompilationErrorsException) {
            def first = ((MultipleCompilationErrorsException) e).errorCollector.errors.find()
            if (first instanceof SyntaxErrorMessage) {
                def cause = ((SyntaxErrorMessage) first).cause
                return new ScriptError(new SourceRef(displayName, cause.line), syntaxMessage(cause.originalMessage))
            }
            if (first instanceof ExceptionMessage) {
                return new ScriptError(new SourceRef(displayName, 0), ((ExceptionMessage) first).cause.message)
            }
        }
        new ScriptError(new SourceRef(displayName, 0), e.message.readLines().find { it.trim() } ?: 'cannot compile')
    }

    /** Groovy quotes the whole rest of the file after "Unexpected input"; one short line is enough. */
    static String syntaxMessage(String original) {
        if (original.startsWith('Unexpected input')) {
            return "syntax error: unexpected input (is a '}' or ')' missing?)"
        }
        String oneLine = original.readLines().find { it.trim() }?.trim() ?: original
        'syntax error: ' + (oneLine.length() > 100 ? oneLine.substring(0, 97) + '...' : oneLine)
    }

    private ScriptError translate(Throwable e, DslRun run, String source) {
        SourceRef where = run.lineOf(e)
        DslContext block = run.failedIn()
        if (e instanceof MissingMethodException && !isWord((MissingMethodException) e)) {
            return new ScriptError(where, "${e.type.simpleName} has no method '${e.method}'")
        }
        if (e instanceof MissingMethodException) {
            return unknownWord(where, block, e.method, ((MissingMethodException) e).arguments, run.script)
        }
        if (e instanceof MissingPropertyException) {
            return unknownName(where, block, e.property, source)
        }
        if (e instanceof StackOverflowError) {
            return new ScriptError(where, 'the launcher calls itself without end (stack overflow)')
        }
        if (e instanceof AssertionError) { // a power assert's message goes on with a diagram of the values
            return new ScriptError(where, 'assertion failed: ' + (e.message?.readLines()?.find { it.trim() }?.trim() ?: 'assert'))
        }
        // DslError, IllegalArgumentException and whatever the user's own code throws: its message says
        // it in the user's words; a Java class name would only look like a crash of xmrun
        new ScriptError(where, e.message?.trim() ? firstLine(e.message) : humanized(e.class.simpleName) + " without a message")
    }

    /**
     * A word of the DSL was called (on the script, a block or its closure); otherwise a method is
     * missing on a plain value, like {@code 'x'.foo()}.
     */
    private static boolean isWord(MissingMethodException e) {
        Class<?> type = e.type
        type == null || DslContext.isAssignableFrom(type) || Script.isAssignableFrom(type) || Closure.isAssignableFrom(type)
    }

    /** 'IllegalStateException' reads 'illegal state error': what went wrong without the look of a crash. */
    static String humanized(String className) {
        String base = className.replaceAll(/(Exception|Error)$/, '')
        (base.replaceAll(/([a-z])([A-Z])/, '$1 $2').toLowerCase() + ' error').trim()
    }

    /** A message of many lines would break the one-line rule; its first line says it. */
    private static String firstLine(String message) {
        List<String> lines = (message ?: '').readLines().findAll { it.trim() }
        lines.size() <= 1 ? (message ?: '').trim() : lines[0].trim() + ' ...'
    }

    /**
     * Groovy reads {@code command ['a', 'b']} as indexing a variable called 'command' (a command
     * expression cannot start with a list), so the word seems unknown; the line shows it.
     */
    private ScriptError unknownName(SourceRef where, DslContext block, String name, String source) {
        String inBlock = block?.blockName() ?: topWords.keySet().first()
        List<String> lines = source.readLines()
        String line = where.line() > 0 && where.line() <= lines.size() ? lines[where.line() - 1] : ''
        String quoted = java.util.regex.Pattern.quote(name)
        if (line =~ /(?<![\w.$])$quoted\s+\[/) {
            return new ScriptError(where, "Groovy reads `$name [...]` as indexing a variable '$name'; put the list in parentheses,"
                    + " like $name([...]), or leave out the brackets")
        }
        Set<String> words = block?.keywords() ?: topWords.values().first()
        def minus = line =~ /(?<![\w.$])$quoted\s+(-[\w.]+)/
        if (name in words && minus.find()) { // 'gpus -1' is 'gpus - 1'
            return new ScriptError(where, "Groovy reads `$name ${minus.group(1)}` as a subtraction; put a negative value in parentheses,"
                    + " like $name(${minus.group(1)})")
        }
        if (name in words) {
            return new ScriptError(where, "'$name' in $inBlock needs a value, like $name ...")
        }
        new ScriptError(where, "unknown name '$name' in $inBlock" + Suggest.didYouMean(name, words))
    }

    private ScriptError unknownWord(SourceRef where, DslContext block, String word, Object[] args, Script script) {
        Set<String> words = block?.keywords() ?: topWords.values().first()
        String inBlock = block?.blockName() ?: topWords.keySet().first()
        String given = args.collect { DslContext.typeName(it) }.join(', ')
        if (word in words) {
            return new ScriptError(where, "'$word' in $inBlock cannot take ($given)")
        }
        if (script.class.declaredMethods.any { it.name == word }) { // the launcher's own def, called with other arguments
            return new ScriptError(where, "the launcher's method '$word' cannot take ($given)")
        }
        String home = blocks.call().find { String name, Set<String> ws -> word in ws }?.key
        if (home != null) {
            return new ScriptError(where, "'$word' belongs in $home, not in $inBlock")
        }
        new ScriptError(where, "unknown word '$word' in $inBlock" + Suggest.didYouMean(word, words))
    }
}
