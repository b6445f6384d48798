package xmrun.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import xmrun.Failure;
import xmrun.UserError;
import xmrun.app.XmrunHome;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;

/** The top-level command; {@code xmrun FILE ...} is short for {@code xmrun launch FILE ...}. */
@Command(name = "xmrun", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Version.class,
        description = "Launch experiments described in a Groovy launcher on this machine or an HPC cluster.",
        subcommands = {LaunchCommand.class, RenderCommand.class, SweepCommand.class, ListCommand.class, StatusCommand.class,
                LogsCommand.class, ResultsCommand.class, CancelCommand.class, ResumeCommand.class, TemplatesCommand.class, ClustersCommand.class,
                InitCommand.class, UiCommand.class, CompletionCommand.class, CompleteCommand.class, ShowCommand.class,
                RelaunchCommand.class, DiffCommand.class})
public final class XmrunCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a launcher file or a command");
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
        Context context = new Context(out, err, env, XmrunHome.fromEnvironment(env));
        xmrun.dsl.ScriptCache.setDirectory(context.home().dir().resolve("cache").resolve("scripts"));
        CommandLine cli = new CommandLine(new XmrunCommand(), new CommandLine.IFactory() {
            public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof XmrunSubcommand s) {
                    s.context = context;
                }
                return k;
            }
        });
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UserError) {
                err.println(e.getMessage());
                return 2;
            }
            if (e instanceof Failure) {
                err.println("xmrun: " + e.getMessage());
                return 1;
            }
            // a bug of ours: one line, and the trace only when asked for
            err.println("xmrun: internal error: " + e + " (set XMRUN_DEBUG=1 for the stack trace)");
            if (env.containsKey("XMRUN_DEBUG")) {
                e.printStackTrace(err);
            }
            return 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            err.println("xmrun: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return 2;
        });
        return cli;
    }

    /** A first argument that is neither a command nor an option is a launcher file. */
    public static String[] withImplicitLaunch(CommandLine cli, String[] args) {
        if (args.length == 0 || args[0].startsWith("-") || cli.getSubcommands().containsKey(args[0])) {
            return args;
        }
        String[] withLaunch = new String[args.length + 1];
        withLaunch[0] = "launch";
        System.arraycopy(args, 0, withLaunch, 1, args.length);
        return Arrays.copyOf(withLaunch, withLaunch.length);
    }
}
