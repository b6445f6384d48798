package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xmrun.store.ExperimentStore;
import xmrun.ui.UiServer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

@Command(name = "ui", description = "A dashboard in the browser: experiments, live work unit states, logs, results and plots (127.0.0.1 only).")
final class UiCommand extends XmrunSubcommand {
    @Option(names = "--port", paramLabel = "N", description = "port on 127.0.0.1 (default: a free one)")
    int port;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "how often an experiment on screen is refreshed (default: 2)")
    int interval = 2;

    @Override
    Integer run() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new xmrun.UserError("xmrun: --port must be between 0 (any free port) and 65535, got " + port);
        }
        if (interval < 1) {
            throw new xmrun.UserError("xmrun: --interval must be at least 1 second, got " + interval);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (ExperimentStore store = openStore(); ExperimentStore reads = openStore();
             UiServer ui = UiServer.start(reads, statusService(store), port, Duration.ofSeconds(interval))) {
            if (!xmrun.server.RequestEnvironment.current().isServed()) { // Ctrl-C ends this JVM: close on the way out
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    ui.close();
                    stopped.countDown();
                }));
            } // served, Ctrl-C interrupts the wait below, and the try closes the server

            context.out().println("xmrun ui: " + ui.url());
            context.out().println("open it in a browser on this machine; Ctrl-C stops it");
            context.out().flush();
            stopped.await();
        }
        return 0;
    }
}
