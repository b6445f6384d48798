package xmrun.cli;

import groovy.json.JsonOutput;

/** JSON for --json: pretty, stable key order (callers pass LinkedHashMaps). */
final class Json {
    private Json() {
    }

    static String of(Object value) {
        return JsonOutput.prettyPrint(JsonOutput.toJson(value));
    }
}
