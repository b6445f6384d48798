package xmrun.store;

import groovy.json.JsonOutput;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON text the store keeps per unit (its argv, env and sweep values), as {@link JsonOutput#toJson} writes it, for
 * the values units carry: strings, numbers, booleans, and lists and maps of them. Written here because JsonOutput
 * sets up a number cache for every text it writes: a third of the CPU time of a 100,000-unit launch. Anything else
 * (a date, an object, a number that is not finite) is left to JsonOutput.
 */
final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    static String of(Object value) {
        StringBuilder b = new StringBuilder(256);
        return write(value, b) ? b.toString() : JsonOutput.toJson(value);
    }

    private static boolean write(Object v, StringBuilder b) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof CharSequence s) { // a GString too
            string(s.toString(), b);
        } else if (v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Integer || v instanceof Long || v instanceof BigDecimal || v instanceof BigInteger
                || v instanceof Short || v instanceof Byte) {
            b.append(v);
        } else if (v instanceof Double d && Double.isFinite(d) || v instanceof Float f && Float.isFinite(f)) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof CharSequence)) {
                    return false;
                }
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(e.getKey().toString(), b);
                b.append(':');
                if (!write(e.getValue(), b)) {
                    return false;
                }
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object item : c) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                if (!write(item, b)) {
                    return false;
                }
            }
            b.append(']');
        } else {
            return false; // a date, an object, an infinite number (JsonOutput refuses it): JsonOutput's way
        }
        return true;
    }

    /**
     * Quotes, backslashes, control characters and everything past ASCII escaped, as JsonOutput does. Runs that need
     * no escape (nearly every argument) are appended whole, not a character at a time.
     */
    private static void string(String s, StringBuilder b) {
        b.append('"');
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 32 && c <= 126 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
            }
        }
        (run == 0 ? b.append(s) : b.append(s, run, s.length())).append('"'); // append(String) copies whole arrays
    }
}
