package xmrun.model;

import java.math.BigDecimal;
import java.util.Map;

/** How DSL values become argv elements: {@code epochs: 10} becomes {@code --epochs=10}. */
public final class ArgFormat {
    private ArgFormat() {
    }

    public static String named(String key, Object value) {
        return "--" + key + "=" + value(value);
    }

    /** Plain decimal text for numbers a user typed as 1e-3 (Groovy BigDecimal), so programs get 0.001. */
    public static String value(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(value);
    }

    public static void appendNamed(Map<String, ?> named, java.util.List<String> into) {
        named.forEach((k, v) -> into.add(named(k, v)));
    }
}
