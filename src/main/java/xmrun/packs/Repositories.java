package xmrun.packs;

import java.util.ArrayList;
import java.util.List;

/**
 * Where template packs and {@code @Grab} libraries come from, in order: the Maven repositories a lab
 * runs (file: or http(s): URLs), then Maven Central unless the config leaves it out.
 */
public record Repositories(List<String> urls, boolean mavenCentral) {
    public static final String CENTRAL = "https://repo1.maven.org/maven2/";
    public static final Repositories DEFAULT = new Repositories(List.of(), true);

    public Repositories {
        urls = List.copyOf(urls);
    }

    public List<String> all() {
        List<String> all = new ArrayList<>(urls);
        if (mavenCentral) {
            all.add(CENTRAL);
        }
        return all;
    }

    /** The same chain as Ivy settings XML, for Groovy's Grape (@Grab reads grape.config). */
    public String ivySettingsXml() {
        // Grape asks for a resolver of exactly this name
        StringBuilder sb = new StringBuilder("<ivysettings>\n  <settings defaultResolver=\"downloadGrapes\"/>\n  <resolvers>\n"
                + "    <chain name=\"downloadGrapes\" returnFirst=\"true\">\n");
        List<String> all = all();
        for (int i = 0; i < all.size(); i++) {
            sb.append("      <ibiblio name=\"repo").append(i).append("\" root=\"").append(xml(all.get(i)))
                    .append("\" m2compatible=\"true\"/>\n");
        }
        return sb.append("    </chain>\n  </resolvers>\n</ivysettings>\n").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
