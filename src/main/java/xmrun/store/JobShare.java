package xmrun.store;

import java.util.ArrayList;
import java.util.List;

/**
 * What every unit of a job has in common, kept once in the job's row instead of in each unit's: the command line
 * before the unit's own arguments, and the script. The store of a 100,000-unit sweep with long job arguments is then
 * 28 MB instead of 48, and status reads shorter rows. A job stored after its units (an experiment of an xmrun before
 * these columns, resumed) shares nothing: its units keep their whole command line and script.
 *
 * @param argv       the command and the job's arguments, or null
 * @param scriptPath the job's script, or null
 */
record JobShare(List<String> argv, String scriptPath) {
    static final JobShare NONE = new JobShare(null, null);

    /** The part of a unit's command line its row keeps. */
    List<String> ownArgv(WorkUnitRecord u) {
        if (argv == null) {
            return u.argv();
        }
        List<String> whole = u.argv();
        if (whole.size() < argv.size() || !whole.subList(0, argv.size()).equals(argv)) { // a unit is its job's command and more
            throw new IllegalStateException("unit " + u.id() + "'s command line does not start with its job " + u.job() + "'s");
        }
        return whole.subList(argv.size(), whole.size());
    }

    /** A unit's whole command line, from what its row keeps. */
    List<String> wholeArgv(List<String> own) {
        if (argv == null || argv.isEmpty()) {
            return own;
        }
        List<String> whole = new ArrayList<>(argv.size() + own.size());
        whole.addAll(argv);
        whole.addAll(own);
        return List.copyOf(whole);
    }

    /** The script a unit's row keeps: none when it is the job's. */
    String ownScript(String script) {
        return script != null && script.equals(scriptPath) ? null : script;
    }

    String script(String own) {
        return own != null ? own : scriptPath;
    }
}
