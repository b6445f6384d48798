package xmrun.scheduler.local;

import xmrun.scheduler.Scheduler;
import xmrun.scheduler.TaskKey;
import xmrun.state.UnitStatus;
import xmrun.state.WorkUnitState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses what the local scheduler's status and find commands print (see {@link LocalCommands}). */
final class LocalStatus {
    private LocalStatus() {
    }

    /** One job's block of the status output. */
    private static final class Block {
        final String id;
        final Map<String, String> spec = new HashMap<>();
        String runner = "gone";
        final Map<Integer, String[]> starts = new HashMap<>();
        final Map<Integer, String[]> ends = new HashMap<>();
        final Set<String> markers = new HashSet<>();
        final Map<Integer, Integer> exitFiles = new HashMap<>();
        final Set<Integer> alive = new HashSet<>();
        String waiting;

        Block(String id) {
            this.id = id;
        }
    }

    static Map<TaskKey, UnitStatus> parse(String out) {
        Map<TaskKey, UnitStatus> states = new LinkedHashMap<>();
        for (Block b : blocks(out)) {
            if (!b.spec.containsKey("tasks")) {
                continue; // a job the spool does not have: unknown, as a scheduler that forgot it
            }
            String[] range = b.spec.get("tasks").split("-");
            for (int t = Integer.parseInt(range[0]); t <= Integer.parseInt(range[1]); t++) {
                states.put(new TaskKey(b.id, t), state(b, t));
            }
        }
        return states;
    }

    private static UnitStatus state(Block b, int task) {
        String[] start = b.starts.get(task);
        String[] end = b.ends.get(task);
        Instant started = start == null ? null : millis(start[2]);
        if (end != null) { // "TASK end MILLIS STATE EXIT REASON"
            int code = Integer.parseInt(end[4]);
            String reason = end[5].equals("-") || end[5].equals("cancelled") ? null : end[5];
            WorkUnitState s = switch (end[3]) {
                case "COMPLETED" -> WorkUnitState.SUCCEEDED;
                case "CANCELLED" -> WorkUnitState.CANCELLED;
                default -> WorkUnitState.FAILED; // FAILED, TIMEOUT
            };
            return new UnitStatus(s, s == WorkUnitState.CANCELLED && start == null ? null : code, started, millis(end[2]),
                    end[3].equals("TIMEOUT") ? "TIMEOUT" : reason);
        }
        boolean cancelRequested = b.markers.contains("cancel") || b.markers.contains("cancel." + task);
        if (b.runner.equals("running")) {
            return start != null ? new UnitStatus(WorkUnitState.RUNNING, null, started, null)
                    : new UnitStatus(WorkUnitState.PENDING, null, null, null, b.waiting);
        }
        // the runner is gone (the machine restarted, or it was killed): say what the files still tell
        if (start != null) {
            Integer code = b.exitFiles.get(task);
            if (code != null) {
                return new UnitStatus(code == 0 ? WorkUnitState.SUCCEEDED : WorkUnitState.FAILED, code, started, Instant.now());
            }
            if (b.alive.contains(task)) {
                return new UnitStatus(WorkUnitState.RUNNING, null, started, null, "its runner is gone; nothing will stop it at its time limit");
            }
            return new UnitStatus(WorkUnitState.UNKNOWN, null, started, null, "ended without an exit code (its runner stopped)");
        }
        return cancelRequested ? new UnitStatus(WorkUnitState.CANCELLED, null, null, Instant.now())
                : new UnitStatus(WorkUnitState.UNKNOWN, null, null, null, "never started (its runner stopped)");
    }

    private static List<Block> blocks(String out) {
        List<Block> blocks = new ArrayList<>();
        Block b = null;
        for (String line : out.split("\n")) {
            String[] f = line.split(" ");
            if (line.startsWith("job ")) {
                b = new Block(line.substring(4).strip());
                blocks.add(b);
            } else if (b == null) {
                continue;
            } else if (line.startsWith("spec ")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    b.spec.put(line.substring(5, eq), line.substring(eq + 1));
                }
            } else if (f[0].equals("runner") && f.length == 2) {
                b.runner = f[1];
            } else if (f[0].equals("marker") && f.length == 2) {
                b.markers.add(f[1]);
            } else if (f[0].equals("exitfile") && f.length == 3 && f[2].matches("\\d+")) {
                b.exitFiles.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
            } else if (f[0].equals("alive") && f.length == 2) {
                b.alive.add(Integer.parseInt(f[1]));
            } else if (f[0].equals("-") && f.length == 3 && f[1].equals("wait")) {
                b.waiting = f[2];
            } else if (f.length == 4 && f[1].equals("start")) {
                b.starts.put(Integer.parseInt(f[0]), f);
            } else if (f.length == 6 && f[1].equals("end")) {
                b.ends.put(Integer.parseInt(f[0]), f);
            }
        }
        return blocks;
    }

    private static Instant millis(String field) {
        return Instant.ofEpochMilli(Long.parseLong(field));
    }

    /** "job ID" followed by its spec lines. */
    static List<Scheduler.FoundArray> parseFound(String out) {
        List<Scheduler.FoundArray> found = new ArrayList<>();
        String id = null;
        Map<String, String> spec = new HashMap<>();
        for (String line : (out + "\njob -").split("\n")) {
            if (line.startsWith("job ")) {
                if (id != null && spec.containsKey("tasks") && spec.getOrDefault("offset", "").matches("\\d+")) { // not a retry
                    String[] range = spec.get("tasks").split("-");
                    found.add(new Scheduler.FoundArray(spec.get("name"), id, Integer.parseInt(spec.get("offset")),
                            Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1, spec.get("script")));
                }
                id = line.substring(4).strip();
                spec = new HashMap<>();
            } else if (line.indexOf('=') > 0) {
                spec.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return found;
    }
}
