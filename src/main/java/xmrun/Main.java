package xmrun;

import picocli.CommandLine;
import xmrun.cli.XmrunCommand;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Entry point: exit 0 ok, 2 for a bad launcher, config or usage, 1 for a runtime failure. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale says: work unit output and arguments are bytes the user gave us
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = run(args, out, err, System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cli;
        try {
            cli = XmrunCommand.commandLine(out, err, env);
        } catch (UserError e) { // XMRUN_CONFIG naming a missing file: before any command runs, still one line and exit 2
            err.println(e.getMessage());
            return 2;
        }
        return cli.execute(XmrunCommand.withImplicitLaunch(cli, args));
    }
}
