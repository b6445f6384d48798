package xmrun.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One submitted array as the runner reads it: the spec the submit command wrote, and the
 * {@code #XMRUN --key=value} directive lines at the top of its script (as sbatch reads {@code #SBATCH}).
 *
 * @param parallel at most this many tasks at once, or null
 * @param after    dependencies as sbatch writes them: {@code afterok:12:13}, {@code afterany:14}, ...
 * @param cpus     CPU slots one task takes
 * @param gpus     GPUs one task gets (its own CUDA_VISIBLE_DEVICES)
 * @param timeLimitSeconds null for none
 */
record RunnerJob(String id, String name, Path script, String offset, int firstTask, int lastTask, Integer parallel,
                 List<After> after, int cpus, int gpus, Long timeLimitSeconds, Path schedDir, Path chdir) {

    record After(String type, List<String> jobIds) {
    }

    static RunnerJob read(Spool spool, String id) throws IOException {
        Map<String, String> spec = keyValues(Files.readAllLines(spool.job(id).resolve("spec"), StandardCharsets.UTF_8), "");
        Path script = Path.of(spec.get("script"));
        Map<String, String> d = directives(script);
        String[] tasks = spec.get("tasks").split("-");
        List<After> after = new ArrayList<>();
        for (String part : spec.getOrDefault("after", "").split(",")) {
            if (!part.isBlank()) {
                String[] p = part.split(":");
                after.add(new After(p[0], List.of(p).subList(1, p.length)));
            }
        }
        return new RunnerJob(id, spec.get("name"), script, spec.get("offset"), Integer.parseInt(tasks[0]),
                Integer.parseInt(tasks[1]), intOrNull(spec.get("parallel")), after, intOr(d.get("cpus"), 1), intOr(d.get("gpus"), 0),
                d.containsKey("time") ? Long.parseLong(d.get("time")) : null,
                Path.of(d.getOrDefault("sched-dir", script.getParent().toString())),
                Path.of(d.getOrDefault("chdir", script.getParent().toString())));
    }

    /** {@code #XMRUN --key=value} lines before the first line that is not a comment. */
    static Map<String, String> directives(Path script) throws IOException {
        List<String> lines = new ArrayList<>();
        try (var reader = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.startsWith("#")) {
                    break;
                }
                if (line.startsWith(PREFIX)) {
                    lines.add(line.substring(PREFIX.length()));
                }
            }
        }
        return keyValues(lines, "--");
    }

    static final String PREFIX = "#XMRUN ";

    private static Map<String, String> keyValues(List<String> lines, String keyPrefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (line.startsWith(keyPrefix) && eq > 0) {
                out.put(line.substring(keyPrefix.length(), eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    private static Integer intOrNull(String s) {
        return s == null || s.isEmpty() ? null : Integer.valueOf(s);
    }

    private static int intOr(String s, int otherwise) {
        return s == null ? otherwise : Integer.parseInt(s);
    }

    int taskCount() {
        return lastTask - firstTask + 1;
    }
}
