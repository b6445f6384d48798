package xmrun.dsl

import groovy.transform.CompileStatic
import groovy.transform.PackageScope
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation
import xmrun.model.ScriptError
import xmrun.model.SourceRef
import xmrun.model.Suggest
import xmrun.model.Sweep

import java.util.function.Predicate

/**
 * {@code sweep { lr 1e-3, 3e-4; seed 0..4 }}: every line names an axis and the block is the product
 * of its parts. {@code zip { }} makes parts move together, {@code concat { }} puts whole sweeps one
 * after another, {@code exclude { }} drops points and {@code include} adds single ones. The block
 * refers to nothing outside itself, so it can be pasted from one launcher into another, or moved
 * into a file of its own and named with {@code sweep file('sweeps/lr.sweep.groovy')}.
 */
@CompileStatic
class SweepContext extends DslContext {
    /** How a block combines its parts. */
    enum Mode {
        PRODUCT('sweep { }'), ZIP('zip { }'), CONCAT('concat { }')

        final String block

        Mode(String block) { this.block = block }
    }

    private final Mode mode
    /** Inside {@code env { }}: axes are environment variables. */
    private final boolean env
    private final List<Sweep> parts = []
    private final List<SourceRef> partsAt = []
    private final List<Closure> excludes = []
    private SourceRef excludedAt
    private final List<Map<String, Object>> includes = []
    private final List<SourceRef> includedAt = []
    private final List<SweepFile> files = []

    SweepContext(Mode mode = Mode.PRODUCT, boolean env = false) {
        this.mode = mode
        this.env = env
    }

    String blockName() { env && mode == Mode.PRODUCT ? 'env { }' : mode.block }

    /**
     * Axes whose values the program gets as environment variables, not arguments (W&B reads WANDB_NAME,
     * WANDB_RUN_GROUP): {@code env { WANDB_RUN_GROUP 'a', 'b' }}; a part of the sweep like any other.
     */
    void env(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        if (env) {
            throw new DslError("env { } is already open here; its axes are environment variables")
        }
        add(DslRun.current().enter(new SweepContext(Mode.PRODUCT, true), body).build())
    }

    /** Parts that move together: {@code zip { a 1, 2; b 'x', 'y' }}. */
    void zip(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        add(DslRun.current().enter(new SweepContext(Mode.ZIP, env), body).build())
    }

    /** Whole sweeps one after another: {@code concat { sweep { lr 1e-3 }; sweep { lr 1e-2; warmup 500 } }}. */
    void concat(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        add(DslRun.current().enter(new SweepContext(Mode.CONCAT, env), body).build())
    }

    /** A sweep inside a sweep: each alternative of a concat, or a group with excludes of its own. */
    void sweep(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        add(DslRun.current().enter(new SweepContext(Mode.PRODUCT, env), body).build())
    }

    /** The sweep in a file, a part like any other: {@code sweep file('sweeps/lr.sweep.groovy')}. */
    void sweep(SweepFile file) {
        add(file.load())
    }

    /** Names a sweep file for {@code sweep}. Axes called 'file' are written {@code axis 'file', ...}. */
    SweepFile file(Object... path) {
        if (path.length != 1) {
            throw new DslError("'file' names one sweep file, like sweep file('sweeps/lr.sweep.groovy');"
                    + " an axis called 'file' is written axis 'file', 'a.csv', 'b.csv'")
        }
        SweepFile f = new SweepFile(text('file', path[0]), here())
        files << f
        f
    }

    /** An axis named by a string, for names that are words of this block or not identifiers: {@code axis 'batch-size', 32, 64}. */
    void axis(Object name, Object... values) {
        addAxis(text('axis', name), values)
    }

    /** Drops every point for which the test is true; the test sees the point's axes as variables. */
    void exclude(Closure test) {
        excludes << test
        excludedAt = excludedAt ?: here()
    }

    /** Adds one point after all the others: {@code include lr: 1e-2, seed: 0}. */
    void include(Map<String, Object> point) {
        if (point.isEmpty()) {
            throw new DslError("'include' needs the point's values, like include lr: 1e-2, seed: 0")
        }
        Map<String, Object> values = [:]
        point.each { Object key, Object value ->
            String name = JobContext.argName('axis', key)
            if (value instanceof Iterable || value instanceof Object[]) {
                throw new DslError("'include' adds one point, so '$name' takes one value, got ${describe(value)}")
            }
            values[name] = axisValue(name, value)
        }
        includes << values
        includedAt << here()
    }

    /**
     * Any other word is an axis name. Groovy also lands here when a word of this block gets values it
     * does not take ({@code include 1, 2}); making that an axis called 'include' would hide the mistake.
     */
    def methodMissing(String name, Object args) {
        if (name in keywords()) {
            throw new DslError("'$name' in ${blockName()} cannot take (${((Object[]) args).collect { typeName(it) }.join(', ')});"
                    + " an axis called '$name' is written axis '$name', 1, 2")
        }
        addAxis(name, (Object[]) args)
        null
    }

    /** {@code lr = [1, 2]} would set a script variable and leave the sweep without the axis. */
    void setProperty(String property, Object value) {
        throw new DslError("'$property = ...' in ${blockName()}: an axis is written without '=', like $property 1, 2")
    }

    private void addAxis(String name, Object[] args) {
        if (env) {
            JobContext.envName(name)
        } else {
            JobContext.argName('axis', name)
        }
        List<Object> values = []
        for (Object a : args) {
            flattenInto(name, a, values)
        }
        if (values.isEmpty()) {
            throw new DslError("sweep axis '$name' has no values")
        }
        if (mode == Mode.CONCAT) {
            throw new DslError("concat { } joins whole sweeps, so axis '$name' needs a sweep { } of its own,"
                    + " like concat { sweep { $name ... }; sweep { ... } }")
        }
        add(new Sweep.Axis(name, values, env))
    }

    private void add(Sweep part) {
        parts << part
        partsAt << here()
    }

    private void flattenInto(String axis, Object value, List<Object> into) {
        if (value instanceof Iterable) {
            for (Object v : (Iterable) value) {
                flattenInto(axis, v, into)
            }
        } else if (value instanceof Object[]) {
            for (Object v : (Object[]) value) {
                flattenInto(axis, v, into)
            }
        } else if (value instanceof Closure) {
            String home = LauncherLoader.blocks().find { String block, Set<String> words -> axis in words }?.key
            throw new DslError(home != null && !(axis in keywords()) ? "'$axis' belongs in $home, not in ${blockName()}"
                    : "sweep axis '$axis' cannot take a block; axes are written like `$axis 1, 2, 3`" + Suggest.didYouMean(axis, keywords()))
        } else {
            into << axisValue(axis, value)
        }
    }

    private Object axisValue(String axis, Object value) {
        if (value instanceof Map) { // a misspelt include ('inclde lr: 1') more often than a mistaken axis value
            throw new DslError("sweep axis '$axis' takes numbers, strings or booleans, got ${describe(value)}"
                    + Suggest.didYouMean(axis, keywords()))
        }
        scalar(axis, value, "sweep axis '$axis' takes numbers, strings or booleans")
    }

    /** The parts combined, then the excluded points dropped, then the included ones added. */
    Sweep build() {
        SweepFile unused = files.find { !it.used }
        if (unused != null) {
            throw new ScriptError(unused.writtenAt, "$unused on its own does nothing: write sweep $unused to use the sweep file,"
                    + " or axis 'file', ... for an axis called 'file'")
        }
        if (parts.isEmpty() && includes.isEmpty()) {
            throw new DslError(mode == Mode.CONCAT ? 'concat { } needs the sweeps to join, like concat { sweep { lr 1e-3 }; sweep { lr 1e-2 } }'
                    : "${blockName()} has no axes; add one like lr 1e-3, 3e-4".toString())
        }
        Sweep body = includes && parts.isEmpty() ? null : combined()
        if (excludes) {
            body = filtered(body)
        }
        includes ? withIncludes(body) : body
    }

    /** Whether the block has neither axes nor included points (a sweep file with nothing in it). */
    @PackageScope
    boolean isEmpty() {
        parts.isEmpty() && includes.isEmpty()
    }

    private Sweep combined() {
        checkParts()
        switch (mode) {
            case Mode.ZIP: return new Sweep.Zip(parts)
            case Mode.CONCAT: return parts.size() == 1 ? parts[0] : new Sweep.Concat(parts)
            default: return parts.size() == 1 ? parts[0] : new Sweep.Product(parts)
        }
    }

    /** The model checks the same, but here each mistake can be blamed on the line that made it. */
    private void checkParts() {
        Set<String> seen = []
        long size = mode == Mode.PRODUCT ? 1 : 0
        for (int i = 0; i < parts.size(); i++) {
            Sweep p = parts[i]
            String twice = mode == Mode.CONCAT ? null : p.names().find { !seen.add(it) }
            if (twice != null) {
                throw new ScriptError(partsAt[i], "axis '$twice' appears twice in one sweep")
            }
            if (mode == Mode.ZIP && p.size() != parts[0].size()) {
                throw new ScriptError(partsAt[i], "zip needs axes of one length, got " + parts.collect { Sweep s -> "${s.names().join('+')}=${s.size()}" }.join(', '))
            }
            try {
                size = mode == Mode.PRODUCT ? Math.multiplyExact(size, p.size()) : Math.addExact(size, p.size())
            } catch (ArithmeticException ignored) {
                throw new ScriptError(partsAt[i], 'sweep has more points than can be counted')
            }
        }
    }

    private Sweep filtered(Sweep body) {
        Sweep all = body ?: Sweep.NONE
        DslRun run = DslRun.current()
        PointContext point = new PointContext(all.names())
        List<Closure> tests = excludes.collect { run.bind(point, it) }
        Predicate<Map<String, Object>> keep = { Map<String, Object> p ->
            point.point = p
            !tests.any { Closure t -> DefaultTypeTransformation.castToBoolean(t.maximumNumberOfParameters == 0 ? t.call() : t.call(p)) }
        } as Predicate<Map<String, Object>>
        try {
            Sweep.Filtered.checkTestable(all.size())
        } catch (IllegalArgumentException e) {
            throw new ScriptError(excludedAt, e.message)
        }
        Sweep kept = run.within(point) { Sweep.Filtered.of(all, keep) }
        if (kept.size() == 0) {
            throw new ScriptError(excludedAt, "exclude { } drops all ${all.size()} point${all.size() == 1 ? '' : 's'} of the sweep")
        }
        kept
    }

    private Sweep withIncludes(Sweep body) {
        List<Sweep> all = body == null ? [] : [body]
        for (int i = 0; i < includes.size(); i++) {
            String unknown = body == null ? null : includes[i].keySet().find { !(it in body.names()) }
            if (unknown != null) {
                throw new ScriptError(includedAt[i], "include names axis '$unknown', which this sweep does not have"
                        + Suggest.didYouMean(unknown, body.names()))
            }
            Set<String> envNames = body == null ? [] as Set<String> : body.envNames()
            all << (Sweep) new Sweep.Zip(includes[i].collect { String name, Object v -> (Sweep) new Sweep.Axis(name, [v], name in envNames) })
        }
        all.size() == 1 ? all[0] : new Sweep.Concat(all)
    }
}
