package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.Sweep

/**
 * {@code sweep { lr 1e-3, 3e-4; seed 0..4; zip { a 1, 2; b 3, 4 } }}: every line names an axis,
 * the block is the product of its axes; {@code zip} makes axes move together. The block refers to
 * nothing outside itself, so it can be pasted from one launcher into another.
 */
@CompileStatic
class SweepContext extends DslContext {
    private final boolean zipped
    private final List<Sweep> parts = []

    SweepContext(boolean zipped = false) {
        this.zipped = zipped
    }

    String blockName() { zipped ? 'zip { }' : 'sweep { }' }

    void zip(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        parts << DslRun.current().enter(new SweepContext(true), body).build()
    }

    /** Any other word is an axis name. */
    def methodMissing(String name, Object args) {
        List<Object> values = []
        for (Object a : (Object[]) args) {
            flattenInto(name, a, values)
        }
        if (values.isEmpty()) {
            throw new DslError("sweep axis '$name' has no values")
        }
        parts << new Sweep.Axis(name, values)
        null
    }

    private static void flattenInto(String axis, Object value, List<Object> into) {
        if (value instanceof Iterable) {
            for (Object v : (Iterable) value) {
                flattenInto(axis, v, into)
            }
        } else if (value instanceof Object[]) {
            for (Object v : (Object[]) value) {
                flattenInto(axis, v, into)
            }
        } else if (value instanceof Closure) {
            throw new DslError("sweep axis '$axis' cannot take a block; axes are written like `$axis 1, 2, 3`"
                    + xmrun.model.Suggest.didYouMean(axis, ['zip']))
        } else if (value instanceof CharSequence) {
            into << text(axis, value)
        } else if (value instanceof Number || value instanceof Boolean) {
            into << value
        } else {
            throw new DslError("sweep axis '$axis' takes numbers, strings or booleans, got ${describe(value)}")
        }
    }

    Sweep build() {
        try {
            zipped ? new Sweep.Zip(parts) : (parts.size() == 1 ? parts[0] : new Sweep.Product(parts))
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DslError(e instanceof ArithmeticException ? 'sweep has more points than can be counted' : e.message)
        }
    }
}
