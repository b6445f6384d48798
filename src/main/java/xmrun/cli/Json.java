package xmrun.cli;

import groovy.json.JsonOutput;

/** JSON for --json: pretty, stable key order (callers pass LinkedHashMaps). */
final class Json {
    private Json() {
    }

    static String of(Object value) {
        if (value instanceof java.util.Collection<?> c && c.isEmpty()) {
            return "[]"; // prettyPrint would spread an empty list over three lines
        }
        return JsonOutput.prettyPrint(JsonOutput.toJson(value));
    }
}
