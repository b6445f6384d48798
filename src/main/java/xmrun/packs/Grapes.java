package xmrun.packs;

import xmrun.Failure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points Groovy's Grape (which serves {@code @Grab} in launchers, through Ivy) at the same repositories
 * as template packs, with its cache under XMRUN_HOME. Grape reads these settings when it is first used,
 * so this runs before a launcher that mentions @Grab is compiled.
 */
public final class Grapes {
    private Grapes() {
    }

    public static void configure(Repositories repositories, Path grapesDir) {
        try {
            Files.createDirectories(grapesDir);
            Path settings = grapesDir.resolve("grapeConfig.xml");
            Files.writeString(settings, repositories.ivySettingsXml());
            System.setProperty("grape.config", settings.toString());
            System.setProperty("grape.root", grapesDir.toString());
            System.setProperty("ivy.message.logger.level", "0"); // Grape's Ivy prints resolution chatter otherwise
        } catch (IOException e) {
            throw new Failure("cannot write " + grapesDir + ": " + e.getMessage(), e);
        }
    }
}
