package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xmrun.UserError;
import xmrun.app.ClusterCheck;
import xmrun.app.Clusters;
import xmrun.app.ProjectInit;
import xmrun.app.XmrunHome;

import java.io.Console;
import java.nio.file.Path;

@Command(name = "init", description = {"Write a commented launcher.xm.groovy here; with --cluster, also add a cluster to the config file and check it.",
        "On a terminal, asks for the values the flags did not give."})
final class InitCommand extends XmrunSubcommand {
    @Option(names = "--cluster", paramLabel = "NAME", description = "add this cluster to the config file; the launcher runs there")
    String cluster;

    @Option(names = "--scheduler", paramLabel = "KIND", completionCandidates = Completions.Schedulers.class, description = "the cluster's scheduler: slurm (default) or sge")
    String scheduler;

    @Option(names = "--host", paramLabel = "HOST", description = "the login node, as ssh would take it (a host name or an ssh config alias)")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "its ssh port (default: ssh's, 22)")
    Integer port;

    @Option(names = "--user", paramLabel = "LOGIN", description = "the login name there (default: ssh's)")
    String user;

    @Option(names = "--identity", paramLabel = "FILE", description = "the private key to log in with (default: ssh's)")
    String identity;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "the known_hosts file holding the host's key (default: ~/.ssh/known_hosts)")
    String knownHosts;

    @Option(names = "--workdir", paramLabel = "DIR", description = "where experiments go on the cluster (default: ~/xmrun)")
    String workdir;

    @Override
    Integer run() {
        Path here = xmrun.server.RequestEnvironment.current().cwd();
        ProjectInit.checkLauncherFree(here);
        if (cluster == null) {
            ProjectInit.writeLauncher(here, null);
            printWroteLauncher();
            return 0;
        }
        Path config = ProjectInit.configFile(context.home());
        String text = ProjectInit.withCluster(config, entry());
        ProjectInit.writeLauncher(here, cluster);
        printWroteLauncher();
        ProjectInit.writeConfig(config, text);
        context.out().printf("added cluster '%s' to %s%n", cluster, config);
        context.out().printf("checking it (xmrun clusters check %s):%n", cluster);
        context.out().flush();
        XmrunHome home = context.home();
        try (Clusters withIt = new Clusters(new XmrunHome(home.dir(), home.configDir(), config))) {
            return ClustersCommand.Check.print(ClusterCheck.run(withIt.open(cluster)), context.out());
        }
    }

    private void printWroteLauncher() {
        context.out().printf("wrote %s (see what it would run: xmrun %s --dry-run)%n", ProjectInit.LAUNCHER, ProjectInit.LAUNCHER);
    }

    /** The flags' values; on a terminal, what they left out is asked for (Java sees one only when input and output are on it). */
    private ProjectInit.ClusterEntry entry() {
        Console console = System.console();
        if (console != null) {
            host = host != null ? host : ask(console, "login host (as for ssh)", null);
            user = user != null ? user : ask(console, "user", System.getProperty("user.name"));
            workdir = workdir != null ? workdir : ask(console, "workdir on the cluster", "~/xmrun");
        } else if (host == null) {
            throw new UserError("xmrun: init --cluster " + cluster + " needs --host (and --user, --workdir), or a terminal to ask on");
        }
        return new ProjectInit.ClusterEntry(cluster, scheduler == null ? "slurm" : scheduler, host, port, user, identity, knownHosts,
                workdir == null ? "~/xmrun" : workdir);
    }

    /** Asks until an answer (Enter takes the default); end of input stops init with nothing written. */
    private String ask(Console console, String what, String fallback) {
        while (true) {
            String line = console.readLine("%s%s: ", what, fallback == null ? "" : " [" + fallback + "]");
            if (line == null) {
                throw new UserError("xmrun: init: no answer for " + what + " (end of input); nothing written");
            }
            String answer = line.strip();
            if (!answer.isEmpty()) {
                return answer;
            }
            if (fallback != null) {
                return fallback;
            }
        }
    }
}
