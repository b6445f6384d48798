package xmrun;

import picocli.CommandLine;
import xmrun.cli.XmrunCommand;

import java.io.PrintWriter;
import java.util.Map;

/** Entry point: exit 0 ok, 2 for a bad launcher, config or usage, 1 for a runtime failure. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv());
        System.exit(code);
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cli = XmrunCommand.commandLine(out, err, env);
        return cli.execute(XmrunCommand.withImplicitLaunch(cli, args));
    }
}
