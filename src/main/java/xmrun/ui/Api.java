package xmrun.ui;

import com.sun.net.httpserver.HttpExchange;
import groovy.json.JsonOutput;
import xmrun.app.LogFollower;
import xmrun.app.StatusService;
import xmrun.executor.Cluster;
import xmrun.store.ExperimentRecord;
import xmrun.store.ExperimentStore;
import xmrun.store.WorkUnitRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON the page polls, under {@code /api/}. Reads come from the store (a connection of their own) and from
 * the {@link Refreshers}' cache; only a log read and a cancel reach a cluster, on the refreshers' worker thread.
 */
final class Api {
    /** Work units per answer (and per page of the experiment view). */
    static final int UNITS_PAGE = 500;
    /** The most of one output file one answer carries; the page asks again from where it got to. */
    static final int LOG_CHUNK = 256 * 1024;

    private static final Pattern EXPERIMENTS = Pattern.compile("/api/experiments");
    private static final Pattern UNITS = Pattern.compile("/api/experiments/(\\d+)/units");
    private static final Pattern RESULTS = Pattern.compile("/api/experiments/(\\d+)/results");
    private static final Pattern LOGS = Pattern.compile("/api/experiments/(\\d+)/units/(\\d+)/logs");
    private static final Pattern CANCEL = Pattern.compile("/api/experiments/(\\d+)(?:/units/(\\d+))?/cancel");

    private final ExperimentStore reads;
    private final StatusService status;
    private final LogFollower logs;
    private final Refreshers refreshers;

    /**
     * @param reads  a connection used only here, for reading (synchronized on)
     * @param status the store and clusters the worker thread refreshes, reads logs and cancels through
     */
    Api(ExperimentStore reads, StatusService status, Refreshers refreshers) {
        this.reads = reads;
        this.status = status;
        this.logs = new LogFollower(status, xmrun.app.Patience.NONE);
        this.refreshers = refreshers;
    }

    void handle(HttpExchange ex, String path) throws IOException, InterruptedException {
        boolean post = "POST".equals(ex.getRequestMethod());
        Matcher m;
        if (post && (m = CANCEL.matcher(path)).matches()) {
            cancel(ex, experiment(m.group(1)), m.group(2) == null ? null : Integer.parseInt(m.group(2)));
        } else if (post) {
            Http.error(ex, 405, "only cancel takes a POST");
        } else if (EXPERIMENTS.matcher(path).matches()) {
            experiments(ex);
        } else if ((m = UNITS.matcher(path)).matches()) {
            ExperimentRecord exp = experiment(m.group(1));
            String query = ex.getRequestURI().getRawQuery();
            int from = (int) Math.min(Integer.MAX_VALUE, offset(query, "from"));
            Http.json(ex, 200, JsonOutput.toJson(Views.units(exp, refreshers.latest(exp.id()), from, UNITS_PAGE)));
        } else if ((m = RESULTS.matcher(path)).matches()) {
            ExperimentRecord exp = experiment(m.group(1));
            refreshers.latest(exp.id()); // keeps its refresher going: results are collected as units end
            ExperimentStore.ResultsView view;
            synchronized (reads) {
                view = reads.results(exp.id(), null, 0);
            }
            Http.json(ex, 200, Views.results(view));
        } else if ((m = LOGS.matcher(path)).matches()) {
            logs(ex, experiment(m.group(1)), Integer.parseInt(m.group(2)));
        } else {
            Http.error(ex, 404, "no such endpoint: " + path);
        }
    }

    /** Experiments whose states the list keeps live; older ones with open units show what the store last saw. */
    static final int LIVE_IN_LIST = 20;

    private void experiments(HttpExchange ex) throws IOException {
        List<Map<String, Object>> list;
        List<Long> open = new java.util.ArrayList<>();
        synchronized (reads) {
            var counts = reads.stateCounts();
            List<ExperimentRecord> all = reads.experiments();
            for (ExperimentRecord e : all) {
                if (open.size() < LIVE_IN_LIST && counts.getOrDefault(e.id(), Map.of()).keySet().stream().anyMatch(s -> !s.isSettled())) {
                    open.add(e.id());
                }
            }
            list = all.stream().map(e -> Views.experiment(e, counts.getOrDefault(e.id(), Map.of()))).toList();
        }
        open.forEach(refreshers::latest); // their refreshers write the store: the next poll of the list sees it
        Http.json(ex, 200, list.isEmpty() ? "[]" : JsonOutput.toJson(list));
    }

    private ExperimentRecord experiment(String id) {
        synchronized (reads) {
            return reads.experiment(Long.parseLong(id)).orElseThrow(() -> new NotFound("no experiment " + id));
        }
    }

    private WorkUnitRecord unit(ExperimentRecord exp, int id) {
        return refreshers.latest(exp.id()).units().stream().filter(u -> u.id() == id).findFirst()
                .orElseThrow(() -> new NotFound("experiment " + exp.id() + " has no work unit " + id));
    }

    /** {@code ?out=N&err=M}: what each file holds past those byte offsets, and the offsets to ask from next. */
    private void logs(HttpExchange ex, ExperimentRecord exp, int id) throws IOException, InterruptedException {
        String query = ex.getRequestURI().getRawQuery();
        long outFrom = offset(query, "out");
        long errFrom = offset(query, "err");
        WorkUnitRecord u = unit(exp, id);
        byte[][] read = refreshers.call(() -> new byte[][]{
                logs.read(exp, u, Cluster.Output.STDOUT, outFrom), logs.read(exp, u, Cluster.Output.STDERR, errFrom)});
        byte[] out = chunk(read[0]);
        byte[] err = chunk(read[1]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", Views.unit(u));
        m.put("out", new String(out, StandardCharsets.UTF_8));
        m.put("err", new String(err, StandardCharsets.UTF_8));
        m.put("outOffset", outFrom + out.length);
        m.put("errOffset", errFrom + err.length);
        // an answer cut at LOG_CHUNK: the page asks again at once instead of at its next tick
        m.put("more", out.length < read[0].length || err.length < read[1].length);
        Http.json(ex, 200, JsonOutput.toJson(m));
    }

    private static long offset(String query, String name) {
        String v = Token.queryValue(query, name);
        try {
            return v == null || v.isEmpty() ? 0 : Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number, got '" + v + "'");
        }
    }

    /** At most {@link #LOG_CHUNK} bytes, cut before a UTF-8 sequence that would be split (its rest comes next time). */
    static byte[] chunk(byte[] bytes) {
        if (bytes.length <= LOG_CHUNK) {
            return bytes;
        }
        int end = LOG_CHUNK;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) { // bytes[end] continues the sequence before it
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }

    /** Cancels the experiment's open units (or one), through the same service as {@code xmrun cancel}, then refreshes. */
    private void cancel(HttpExchange ex, ExperimentRecord exp, Integer unit) throws IOException, InterruptedException {
        // a header a cross-site form cannot send, and a script of another origin cannot send without a CORS preflight
        // that this server never answers
        if (!"xmrun".equals(ex.getRequestHeaders().getFirst("X-Requested-By"))) {
            Http.error(ex, 403, "a cancel must come from the dashboard's own page");
            return;
        }
        Integer cancelled = refreshers.call(() -> {
            List<WorkUnitRecord> units = status.refresh(exp);
            if (unit != null) {
                units = List.of(status.unit(exp, unit));
            }
            long open = units.stream().filter(u -> !u.state().isFinal()).count();
            status.cancel(exp, units, Duration.ZERO);
            return (int) open;
        });
        Refreshers.Snapshot now = refreshers.refreshNow(exp.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cancelled", cancelled);
        m.put("experiment", Views.units(exp, now, 0, 0));
        Http.json(ex, 200, JsonOutput.toJson(m));
    }

    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
