package xmrun.local;

import xmrun.model.Dependency;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of jobs.tsv: {@code name TAB firstId TAB count TAB dep:WHEN,dep:WHEN}. Job names are
 * restricted by the DSL to [A-Za-z0-9_.-], so tabs, commas and colons cannot occur in them.
 */
record LocalJobLine(String name, int firstId, int count, List<Dep> after) {

    record Dep(String job, Dependency.When when) {
    }

    String format() {
        List<String> deps = new ArrayList<>();
        after.forEach(d -> deps.add(d.job() + ":" + d.when().name()));
        return name + "\t" + firstId + "\t" + count + "\t" + String.join(",", deps);
    }

    static LocalJobLine parse(String line) {
        String[] f = line.split("\t", -1);
        List<Dep> deps = new ArrayList<>();
        if (!f[3].isEmpty()) {
            for (String d : f[3].split(",")) {
                String[] p = d.split(":");
                deps.add(new Dep(p[0], Dependency.When.valueOf(p[1])));
            }
        }
        return new LocalJobLine(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), deps);
    }
}
