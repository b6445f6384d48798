package xmrun.store;

import groovy.json.JsonSlurper;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the JSON objects the store keeps per unit (sweep values, results): nearly always flat, with
 * numbers, strings and booleans. A 100,000-unit {@code xmrun results} reads 200,000 of them, so the
 * flat case is parsed here directly; anything else (a nested object, an array) goes to JsonSlurper.
 * Numbers come out as JsonSlurper gives them: Integer or Long when whole, BigDecimal otherwise.
 */
final class FlatJson {
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) {
        if (json == null || json.equals("{}")) {
            return Map.of();
        }
        try {
            return new FlatJson(json).readObject();
        } catch (NotFlat e) {
            return (Map<String, Object>) new JsonSlurper().parseText(json);
        }
    }

    /** A JSON string's text ({@code "a\"b"} gives a"b); any other JSON text stays as it is (0.001, true). */
    static String text(String json) {
        if (json.length() >= 2 && json.charAt(0) == '"') {
            try {
                FlatJson f = new FlatJson(json);
                String t = f.readString();
                if (f.i == json.length()) {
                    return t;
                }
            } catch (NotFlat e) {
                return json;
            }
        }
        return json;
    }

    /** Thrown for what this reader leaves to JsonSlurper. */
    private static final class NotFlat extends RuntimeException {
        NotFlat() {
            super(null, null, false, false);
        }
    }

    private Map<String, Object> readObject() {
        Map<String, Object> out = new LinkedHashMap<>();
        skip();
        expect('{');
        skip();
        if (peek() == '}') {
            return out;
        }
        while (true) {
            skip();
            String key = readString();
            skip();
            expect(':');
            skip();
            out.put(key, readScalar());
            skip();
            char c = next();
            if (c == '}') {
                skip();
                if (i != s.length()) {
                    throw new NotFlat();
                }
                return out;
            }
            if (c != ',') {
                throw new NotFlat();
            }
        }
    }

    private Object readScalar() {
        char c = peek();
        if (c == '"') {
            return readString();
        }
        if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
        }
        if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return readNumber();
        }
        throw new NotFlat(); // an object or an array
    }

    private Object readNumber() {
        int start = i;
        boolean whole = true;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                whole = false;
            } else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) {
                break;
            }
            i++;
        }
        String text = s.substring(start, i);
        if (whole) {
            long v = Long.parseLong(text);
            return v == (int) v ? (Object) (int) v : (Object) v;
        }
        return new BigDecimal(text);
    }

    private String readString() {
        expect('"');
        StringBuilder sb = null;
        int start = i;
        while (true) {
            char c = next();
            if (c == '"') {
                return sb == null ? s.substring(start, i - 1) : sb.toString();
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder(s.substring(start, i - 1));
                }
                char e = next();
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e); // \" \\ \/
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
    }

    private void skip() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw new NotFlat();
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new NotFlat();
        }
    }
}
