package xmrun.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import xmrun.Failure;
import xmrun.UserError;
import xmrun.app.StatusService;
import xmrun.store.ExperimentStore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code xmrun ui}: the JDK's own HTTP server on 127.0.0.1 only, answering nobody without the token. The page
 * ({@code /}) and its scripts are static; what it shows comes from {@link Api} as JSON.
 */
public final class UiServer implements AutoCloseable {
    /** A refresher nobody polled for this long stops (a closed tab); the page polls every few seconds. */
    static final Duration IDLE = Duration.ofSeconds(30);

    private final HttpServer server;
    private final Token token;
    private final Refreshers refreshers;
    private final ExecutorService threads;
    private final Api api;

    private UiServer(HttpServer server, Token token, Refreshers refreshers, Api api) {
        this.server = server;
        this.token = token;
        this.refreshers = refreshers;
        this.api = api;
        // a few threads: a log read waiting for the cluster does not hold up the other tabs' polls
        this.threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "xmrun-ui-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /**
     * @param reads    a store connection for the pages' reads only
     * @param status   what refreshes, reads logs and cancels (its store is written by the refreshers' thread only)
     * @param port     0 for any free port
     * @param interval how often an experiment on screen is refreshed
     */
    public static UiServer start(ExperimentStore reads, StatusService status, int port, Duration interval) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (java.net.BindException e) {
            throw new UserError("xmrun: port " + port + " on 127.0.0.1 is in use; pick another with --port, or leave it out for a free one");
        } catch (IOException e) {
            throw new Failure("cannot start the dashboard's server: " + e.getMessage(), e);
        }
        Refreshers refreshers = new Refreshers(id -> status.refresh(status.find(Long.toString(id))), id -> {
            synchronized (reads) {
                return reads.workUnits(id);
            }
        }, interval, IDLE);
        Token token = new Token(Token.random(), server.getAddress().getPort());
        UiServer ui = new UiServer(server, token, refreshers, new Api(reads, status, refreshers));
        server.start();
        return ui;
    }

    /** The address to open, token included. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/?" + Token.PARAM + "=" + token.value());
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (!token.carriedBy(ex)) {
                Http.text(ex, 403, "forbidden: open the address xmrun ui printed (with its token)\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (token.inQuery(ex) && "/".equals(path)) {
                // the token goes into a cookie and out of the address bar, its history and any copied link
                ex.getResponseHeaders().add("Set-Cookie", token.cookie());
                ex.getResponseHeaders().set("Location", "/");
                Http.send(ex, 303, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            route(ex, path);
        } catch (Api.NotFound e) {
            Http.error(ex, 404, e.getMessage());
        } catch (Api.BadRequest | UserError e) {
            Http.error(ex, 400, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Http.error(ex, 503, "xmrun ui is stopping");
        } catch (RuntimeException e) { // a cluster that fails to answer, say: said on the page
            Http.error(ex, 502, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex, String path) throws IOException, InterruptedException {
        if (path.equals("/")) {
            Assets.page(ex);
        } else if (path.startsWith("/static/")) {
            if (!Assets.serve(ex, path.substring("/static/".length()))) {
                Http.text(ex, 404, "no such file\n");
            }
        } else if (path.startsWith("/api/")) {
            api.handle(ex, path);
        } else {
            Http.text(ex, 404, "no such page\n");
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() { // from Ctrl-C's shutdown hook and from the command's end, whichever comes first
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        refreshers.close();
        threads.shutdownNow();
    }
}
