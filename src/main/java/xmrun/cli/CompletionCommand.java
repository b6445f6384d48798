package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code xmrun completion bash|zsh}: the shell completion script, to source from the shell's startup file. */
@Command(name = "completion", description = {"Print a completion script for bash or zsh: commands, options, launcher files, "
        + "cluster names and experiment ids.",
        "bash: add  source <(xmrun completion bash)  to ~/.bashrc;  zsh: add  source <(xmrun completion zsh)  to ~/.zshrc."})
final class CompletionCommand extends XmrunSubcommand {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash or zsh")
    String shell;

    @Override
    Integer run() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new xmrun.UserError("xmrun: completion is for bash or zsh, got '" + shell + "'");
        }
        context.out().print(CompletionScript.of(spec.root().commandLine(), shell));
        return 0;
    }

    static final class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("bash", "zsh").iterator();
        }
    }
}
