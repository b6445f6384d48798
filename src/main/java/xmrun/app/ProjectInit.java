package xmrun.app;

import xmrun.UserError;
import xmrun.config.ClusterConfig;
import xmrun.dsl.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code xmrun init}: a commented launcher next to the user's code, and a cluster entry appended to the
 * config file xmrun reads. Everything is checked before anything is written, so a refusal leaves no
 * half-done project behind.
 */
public final class ProjectInit {
    public static final String LAUNCHER = "launcher.xm.groovy";
    /** Programs a launcher most likely runs, best first; the first one present in the directory is used. */
    private static final List<String> PROGRAMS = List.of("train.py", "main.py", "run.py");

    /** What goes into a cluster entry; null fields are left out (ssh(1) and xmrun defaults apply). */
    public record ClusterEntry(String name, String scheduler, String host, Integer port, String user, String identity,
                               String knownHosts, String workdir) {
    }

    private ProjectInit() {
    }

    /** Refuses, before anything is written, a launcher that would overwrite a file. */
    public static void checkLauncherFree(Path dir) {
        if (Files.exists(dir.resolve(LAUNCHER), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError("xmrun: " + LAUNCHER + " already exists here; not overwriting it (move it away, or edit it)");
        }
    }

    /** Writes the launcher; {@code cluster} is where it runs (null: this machine). */
    public static Path writeLauncher(Path dir, String cluster) {
        Path file = dir.resolve(LAUNCHER);
        try {
            Files.writeString(file, launcherText(experimentName(dir), program(dir), cluster), StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            checkLauncherFree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The config file a cluster entry goes to: the one xmrun reads, else a new ~/.config/xmrun/clusters.groovy. */
    public static Path configFile(XmrunHome home) {
        return home.clusterConfig() != null ? home.clusterConfig() : home.configDir().resolve("clusters.groovy");
    }

    /**
     * The config text with the entry appended, after checking that the config loads as it is, has no
     * cluster of that name, and loads with the entry.
     */
    public static String withCluster(Path config, ClusterEntry entry) {
        String current = readIfExists(config);
        if (current != null) {
            ClusterConfig existing = ConfigLoader.load(config, config.toString());
            if (existing.clusters().containsKey(entry.name())) {
                throw new UserError("xmrun: cluster '" + entry.name() + "' is already in " + config + "; not changing it");
            }
        }
        String text = (current == null || current.isEmpty() ? "" : current + (current.endsWith("\n") ? "\n" : "\n\n")) + clusterText(entry);
        checkLoads(config, text);
        return text;
    }

    /** Writes the config text, creating its directory (the file's previous text is a prefix of it). */
    public static void writeConfig(Path config, String text) {
        try {
            if (config.toAbsolutePath().getParent() != null) {
                Files.createDirectories(config.toAbsolutePath().getParent());
            }
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new xmrun.Failure("cannot write " + config + ": " + e.getMessage());
        }
    }

    static String launcherText(String experiment, String program, String cluster) {
        String command = program == null ? "'echo', 'hello from xmrun'" : "'python3', " + literal(program);
        return """
                // An xmrun launcher: `xmrun %1$s --dry-run` shows what would run, `xmrun %1$s` runs it,
                // `xmrun status` and `xmrun logs EXP` follow it. Every word is in the README (The launcher DSL).
                experiment(%2$s) {
                    %3$s// where it runs: local, slurm, sge (this machine) or a cluster from your config
                    // code '.'                       // the code directory, relative to this file (default: this file's directory)
                    // ignore 'data/**', '*.ckpt'     // files not to copy to a remote cluster

                    job('train') {
                        command %4$s
                        args epochs: 10               // named arguments: --epochs=10
                        // env WANDB_PROJECT: %2$s
                        resources {
                            cpus 1
                            memory '2G'               // K, M, G, T
                            time '1h'                 // 90s, 30m, 2h, 1d12h
                            // gpus 1
                        }
                        sweep {                       // one work unit per point, its values as --lr=... --seed=...
                            lr 1e-3, 3e-4
                            seed 0..1
                        }                             // 2 x 2 = 4 work units
                        // retry 2, on: ['PREEMPTED', 'NODE_FAIL']
                    }
                    // job('eval') {
                    //     command 'python3', 'eval.py'
                    //     sweep none                  // once, not per point
                    //     after 'train'               // when every train work unit has succeeded
                    // }
                }
                """.formatted(LAUNCHER, literal(experiment), "%-34s".formatted("cluster " + literal(cluster == null ? "local" : cluster)), command);
    }

    static String clusterText(ClusterEntry e) {
        StringBuilder b = new StringBuilder();
        b.append("// added by xmrun init; `xmrun clusters check ").append(e.name()).append("` tests it\n");
        b.append("cluster(").append(literal(e.name())).append(") {\n");
        b.append("    scheduler ").append(literal(e.scheduler())).append('\n');
        if (e.host() != null) {
            b.append("    ssh {\n");
            b.append("        host ").append(literal(e.host())).append('\n');
            if (e.port() != null) {
                b.append("        port ").append(e.port()).append('\n');
            }
            line(b, "user", e.user());
            line(b, "identity", e.identity());
            line(b, "knownHosts", e.knownHosts());
            b.append("    }\n");
        }
        if (e.workdir() != null) {
            b.append("    workdir ").append(literal(e.workdir())).append('\n');
        }
        b.append("    // slurm { partition 'main'; account 'lab' }   // or sge { queue 'all.q'; project 'lab' }\n");
        b.append("    // setup 'module load cuda/12.1'              // shell lines at the top of every job script\n");
        return b.append("}\n").toString();
    }

    private static void line(StringBuilder b, String word, String value) {
        if (value != null) {
            b.append("        ").append(word).append(' ').append(literal(value)).append('\n');
        }
    }

    /** A Groovy single-quoted string: no interpolation, so only backslash, quote and line breaks need escapes. */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r") + "'";
    }

    /** The directory's name, made a valid experiment name (letters, digits, _ . -). */
    static String experimentName(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        return n.isEmpty() ? "experiment" : n;
    }

    /** train.py, main.py or run.py if present, else the first Python file, else none. */
    static String program(Path dir) {
        for (String p : PROGRAMS) {
            if (Files.isRegularFile(dir.resolve(p))) {
                return p;
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py")).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String readIfExists(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UserError("xmrun: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Loads the new text under the config's own name, so a mistake is reported where it will be. */
    private static void checkLoads(Path config, String text) {
        try {
            Path dir = Files.createTempDirectory("xmrun-init");
            Path trial = dir.resolve(config.getFileName().toString());
            try {
                Files.writeString(trial, text);
                ConfigLoader.load(trial, config.toString());
            } finally {
                Files.deleteIfExists(trial);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
