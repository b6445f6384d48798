package xmrun.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parts of an OpenSSH client config (ssh_config(5)) a launcher needs: for a host alias, its
 * HostName, User, Port, IdentityFile, ProxyJump and UserKnownHostsFile. As in OpenSSH, the first
 * value found for a keyword wins, and {@code Host} patterns may use * and ? and !negation.
 * {@code Match} blocks are skipped.
 */
public final class OpenSshConfig {
    private record Block(List<String> patterns, Map<String, String> values) {
    }

    private final List<Block> blocks;

    private OpenSshConfig(List<Block> blocks) {
        this.blocks = blocks;
    }

    public static OpenSshConfig read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return new OpenSshConfig(List.of());
        } catch (IOException e) {
            throw new xmrun.UserError(file + ": cannot read: " + e.getMessage());
        }
    }

    public static OpenSshConfig parse(String text) {
        List<Block> blocks = new ArrayList<>();
        Block current = new Block(List.of("*"), new LinkedHashMap<>());
        blocks.add(current);
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split("[\\s=]+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? unquote(kv[1].strip()) : "";
            if (key.equals("host")) {
                current = new Block(List.of(value.split("\\s+")), new LinkedHashMap<>());
                blocks.add(current);
            } else if (key.equals("match")) {
                current = new Block(List.of(), new LinkedHashMap<>()); // never applies
                blocks.add(current);
            } else {
                current.values().putIfAbsent(key, value);
            }
        }
        return new OpenSshConfig(blocks);
    }

    /** The keyword's value for this host alias (lower-case keyword), or null. */
    public String get(String alias, String keyword) {
        for (Block b : blocks) {
            if (matches(b.patterns(), alias) && b.values().containsKey(keyword)) {
                return b.values().get(keyword);
            }
        }
        return null;
    }

    private static boolean matches(List<String> patterns, String alias) {
        boolean any = false;
        for (String p : patterns) {
            boolean negated = p.startsWith("!");
            if (glob(negated ? p.substring(1) : p).matcher(alias).matches()) {
                if (negated) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
