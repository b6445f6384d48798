package xmrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import xmrun.render.TemplateCatalog;
import xmrun.render.TemplateChain;

import java.nio.file.Path;

@Command(name = "templates", description = "List the job templates xmrun can use, or print one.",
        subcommands = {TemplatesCommand.ListTemplates.class, TemplatesCommand.Show.class})
final class TemplatesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing: list | show NAME");
    }

    static TemplateCatalog catalog(Context context) {
        return new TemplateCatalog(TemplateChain.forLauncher(Path.of("").toAbsolutePath(), context.home().configDir()));
    }

    @Command(name = "list", description = "Every template, and where it comes from (first match wins).")
    static final class ListTemplates extends XmrunSubcommand {
        @Override
        Integer run() {
            context.out().printf("%-32s %s%n", "TEMPLATE", "FROM");
            catalog(context).entries().forEach(e -> context.out().printf("%-32s %s%n", e.name(), e.from()));
            return 0;
        }
    }

    @Command(name = "show", description = "Print a template as xmrun would use it.")
    static final class Show extends XmrunSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "e.g. local/work-unit.sh.peb")
        String name;

        @Override
        Integer run() {
            context.out().print(catalog(context).read(name));
            return 0;
        }
    }
}
