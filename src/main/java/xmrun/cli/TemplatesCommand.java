package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xmrun.render.TemplateCatalog;
import xmrun.render.TemplateChain;

import java.nio.file.Path;
import java.util.List;

@Command(name = "templates", description = "List the job templates xmrun can use, or print one.",
        subcommands = {TemplatesCommand.ListTemplates.class, TemplatesCommand.Show.class})
final class TemplatesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing: list | show NAME");
    }

    /** The chain a launcher uses (its dir, its packs and its cluster's), or without one the current dir's. */
    static TemplateCatalog catalog(XmrunSubcommand command, String launcher) {
        if (launcher != null) {
            return new TemplateCatalog(command.launchService().prepare(xmrun.server.RequestEnvironment.current().path(launcher), launcher, List.of(), null).renderer().chain());
        }
        return new TemplateCatalog(TemplateChain.forLauncher(xmrun.server.RequestEnvironment.current().cwd(), command.context.home().configDir()));
    }

    @Command(name = "list", description = "Every template, and where it comes from (first match wins).")
    static final class ListTemplates extends XmrunSubcommand {
        @Option(names = "--launcher", paramLabel = "FILE", completionCandidates = Completions.Launchers.class, description = "as this launcher sees them, with its template packs")
        String launcher;

        @Override
        Integer run() {
            context.out().printf("%-32s %s%n", "TEMPLATE", "FROM");
            catalog(this, launcher).entries().forEach(e -> context.out().printf("%-32s %s%n", e.name(), e.from()));
            return 0;
        }
    }

    @Command(name = "show", description = "Print a template as xmrun would use it.")
    static final class Show extends XmrunSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "e.g. slurm/job.sh.peb")
        String name;

        @Option(names = "--launcher", paramLabel = "FILE", completionCandidates = Completions.Launchers.class, description = "as this launcher sees it, with its template packs")
        String launcher;

        @Override
        Integer run() {
            context.out().print(catalog(this, launcher).read(name));
            return 0;
        }
    }
}
