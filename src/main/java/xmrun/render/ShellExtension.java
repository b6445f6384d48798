package xmrun.render;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Template filters that quote through {@link ShellQuote} for a bash script: {@code {{ value | shq }}} for
 * one word, {@code {{ argv | shwords }}} for a list of words; and {@code {{ fail("FILE:LINE: message") }}}, with
 * which a template refuses what it cannot do (a container runtime without read-only mounts): the launch stops
 * with that message before anything is submitted.
 */
final class ShellExtension extends AbstractExtension {

    @Override
    public Map<String, Function> getFunctions() {
        return Map.of("fail", new Fail());
    }

    private static final class Fail implements Function {
        public List<String> getArgumentNames() {
            return List.of("message");
        }

        public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            throw new xmrun.UserError(String.valueOf(args.get("message")));
        }
    }

    @Override
    public Map<String, Filter> getFilters() {
        return Map.of("shq", new Quote(), "shwords", new Words());
    }

    private static final class Quote implements Filter {
        public List<String> getArgumentNames() {
            return List.of();
        }

        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            return ShellQuote.quoteForScript(String.valueOf(input));
        }
    }

    private static final class Words implements Filter {
        public List<String> getArgumentNames() {
            return List.of();
        }

        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            List<String> words = new ArrayList<>();
            for (Object o : (Iterable<?>) input) {
                words.add(String.valueOf(o));
            }
            return ShellQuote.joinForScript(words);
        }
    }
}
