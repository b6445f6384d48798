package xmrun.render;

import xmrun.model.Group;
import xmrun.model.Job;
import xmrun.model.Launch;
import xmrun.model.SchedulerOptions;
import xmrun.model.Walltime;
import xmrun.plan.Plan;
import xmrun.plan.WorkUnit;
import xmrun.scheduler.Capability;
import xmrun.scheduler.JobDirectives;
import xmrun.scheduler.Scheduler;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Composes what a launch writes into an experiment's work dir: one script per job, whatever its sweep
 * size, and for a job with a sweep the data file its tasks read their own arguments from
 * ({@link UnitData}). Values are computed here in Java; templates only lay them out (and quote them
 * with {@code | shq}).
 */
public final class JobScripts {
    private final ScriptRenderer renderer;

    public JobScripts(ScriptRenderer renderer) {
        this.renderer = renderer;
    }

    /**
     * Where the scripts will run.
     *
     * @param clusterJobName the scheduler's name for a job ({@code xm12-train})
     * @param defaults       placement from the cluster's config, for jobs that set none
     * @param clusterSetup   shell lines from the cluster's config, before the job's own
     * @param codeDir        where work units start: the code directory, or its staged copy on the cluster
     */
    public record Target(Scheduler scheduler, java.util.function.Function<String, String> clusterJobName,
                         xmrun.config.ClusterSpec.Placement defaults, List<String> clusterSetup, String codeDir) {
    }

    /** A job's script; a group member's is its group's, which starts every member. */
    public static String scriptOf(Job job) {
        return "jobs/" + (job.group() != null ? job.group() : job.name()) + ".sh";
    }

    /**
     * Renders every job, and every group as one script. Each work unit is built once, here: its arguments go to
     * the data file and the unit itself to {@code units} (the store's rows), in id order within each job.
     */
    public List<ScriptFile> render(Plan plan, long experimentId, Path workDir, Target target, Consumer<WorkUnit> units) {
        JobChecks.check(plan, target.scheduler());
        List<ScriptFile> files = new ArrayList<>();
        Set<String> groupsDone = new HashSet<>();
        for (Job job : plan.jobsInSubmitOrder()) {
            Group group = plan.groupOf(job);
            if (group == null) {
                files.addAll(unitData(plan, job, units));
                files.add(script(scriptOf(job), target.scheduler().template(), context(plan, experimentId, job, workDir, target)));
            } else if (groupsDone.add(group.name())) {
                for (Job member : plan.members(group)) {
                    files.addAll(unitData(plan, member, units));
                }
                files.add(script(scriptOf(job), target.scheduler().groupTemplate(),
                        groupContext(plan, experimentId, group, workDir, target)));
            }
        }
        files.add(new ScriptFile("sched/.keep", new byte[0], false)); // the scheduler's own output goes here; it must exist
        return files;
    }

    private ScriptFile script(String path, String template, Map<String, Object> context) {
        return new ScriptFile(path, renderer.render(template, context).getBytes(StandardCharsets.UTF_8), true);
    }

    /** Feeds the job's units to {@code units}; a job with a sweep gets the data file its tasks read their arguments from. */
    private static List<ScriptFile> unitData(Plan plan, Job job, Consumer<WorkUnit> units) {
        UnitData.Writer writer = job.sweep().names().isEmpty() ? null : new UnitData.Writer();
        int fixed = job.command().size() + job.args().size();
        for (WorkUnit u : plan.workUnits(job)) {
            if (writer != null) {
                writer.add(u.argv().subList(fixed, u.argv().size()));
            }
            units.accept(u);
        }
        return writer == null ? List.of() : List.of(new ScriptFile(UnitData.indexOf(job.name()), writer.index(), false),
                new ScriptFile(UnitData.recordsOf(job.name()), writer.records(), false));
    }

    private Map<String, Object> context(Plan plan, long experimentId, Job job, Path workDir, Target target) {
        Map<String, Object> ctx = common(plan, experimentId, workDir, target);
        ctx.putAll(unitVars(plan, job, workDir, target, null));
        ctx.put("directives", target.scheduler().directives(directives(job, workDir, target)));
        ctx.put("setup", setup(job, target));
        ctx.put("after", after(plan, job));
        return ctx;
    }

    /** The body of a group member's function: its own setup lines and its work unit, from the member's values. */
    static final String MEMBER_TEMPLATE = "common/group-member.sh.peb";

    /**
     * A group's script: the members' directives, the cluster's setup once, and per member ({@code members[I]}) what a
     * job's script has, with its function's body rendered from {@link #MEMBER_TEMPLATE} ({@code members[I].body}).
     */
    private Map<String, Object> groupContext(Plan plan, long experimentId, Group group, Path workDir, Target target) {
        Map<String, Object> ctx = common(plan, experimentId, workDir, target);
        List<Job> jobs = plan.members(group);
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Map<String, Object> m = unitVars(plan, jobs.get(i), workDir, target, i);
            m.put("setup", jobs.get(i).scheduler().setup());
            Map<String, Object> memberContext = new LinkedHashMap<>(ctx);
            memberContext.putAll(m);
            m.put("body", renderer.render(MEMBER_TEMPLATE, memberContext));
            m.put("hostVariable", Group.hostVariable(jobs.get(i).name()));
            members.add(m);
        }
        ctx.put("group", Map.of("name", group.name(), "size", jobs.size()));
        ctx.put("members", members);
        ctx.put("directives", target.scheduler().groupDirectives(jobs.stream().map(j -> directives(j, workDir, target)).toList()));
        ctx.put("setup", target.clusterSetup());
        return ctx;
    }

    private static Map<String, Object> common(Plan plan, long experimentId, Path workDir, Target target) {
        Scheduler scheduler = target.scheduler();
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("experiment", Map.of("id", experimentId, "name", plan.experiment().name()));
        ctx.put("codeDir", target.codeDir());
        ctx.put("workDir", workDir.toString());
        ctx.put("taskIdVariable", scheduler.taskIdVariable());
        ctx.put("firstTaskId", scheduler.firstTaskId());
        ctx.put("steps", scheduler.capabilities().contains(Capability.MULTI_NODE));
        return ctx;
    }

    /**
     * What the work unit part of a script needs of one job: its values, and how its program starts.
     *
     * @param member the job's index in its group (its heterogeneous job component), or null
     */
    private static Map<String, Object> unitVars(Plan plan, Job job, Path workDir, Target target, Integer member) {
        SchedulerOptions o = job.scheduler();
        Scheduler scheduler = target.scheduler();
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("job", jobVars(plan, job, !job.sweep().names().isEmpty(), workDir));
        vars.put("units", units(plan, job));
        vars.put("launchPrefix", launchPrefix(job, scheduler, member));
        vars.put("launch", job.launch().template()); // templates/launch/NAME.sh.peb: how the program's processes start
        vars.put("launcher", launcher(job));
        vars.put("hetGroup", member);
        vars.put("unitId", scheduler.runningUnitId() + (member == null || member == 0 ? "" : " + " + member));
        vars.put("nodeSetup", nodeSetup(job, target));
        vars.put("preRun", o.preRun());
        vars.put("postRun", o.postRun());
        return vars;
    }

    private static JobDirectives directives(Job job, Path workDir, Target target) {
        SchedulerOptions o = job.scheduler();
        var d = target.defaults();
        return new JobDirectives(target.clusterJobName().apply(job.name()), job.resources(),
                or(o.partition(), d.partition()), or(o.queue(), d.queue()), or(o.account(), d.account()), or(o.qos(), d.qos()),
                workDir.resolve("sched").toString(), workDir.toString(), o.options());
    }

    private static List<String> setup(Job job, Target target) {
        List<String> setup = new ArrayList<>(target.clusterSetup());
        setup.addAll(job.scheduler().setup());
        return setup;
    }

    /**
     * The setup lines again, as a script each node's own process (ray start, torchrun) runs before it starts:
     * so they run once on every node the helper starts something on. Null when there are none.
     */
    private static String nodeSetup(Job job, Target target) {
        List<String> lines = setup(job, target);
        return lines.isEmpty() ? null : String.join("\n", lines) + "\nexec \"$@\"";
    }

    /** The options of the job's launch helper, null where it has none. */
    private static Map<String, Object> launcher(Job job) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("port", null);
        l.put("procsPerNode", null);
        l.put("dashboard", false);
        l.put("symmetric", false);
        l.put("srunOptions", "");
        if (job.launch() instanceof Launch.Ray r) {
            l.put("port", r.port());
            l.put("dashboard", r.dashboard());
            l.put("symmetric", r.symmetric());
        } else if (job.launch() instanceof Launch.Torchrun t) {
            l.put("port", t.port());
            l.put("procsPerNode", t.procsPerNode());
        } else if (job.launch() instanceof Launch.Srun s && !s.options().isEmpty()) {
            l.put("srunOptions", " " + ShellQuote.join(s.options()));
        }
        return l;
    }

    /** Already quoted words before the program ({@code srun --x nsys profile }), or "". */
    private static String launchPrefix(Job job, Scheduler scheduler, Integer member) {
        SchedulerOptions o = job.scheduler();
        List<String> words = new ArrayList<>();
        if (job.launch() instanceof Launch.Direct) {
            List<String> srun = o.srun() == null ? List.of() : o.srun();
            if (member != null) { // on its own nodes, which need not be where the script runs
                words.addAll(scheduler.groupMemberLauncher(member, job.resources(), srun));
            } else if (o.srun() != null) {
                words.addAll(scheduler.stepLauncher(srun));
            }
        }
        words.addAll(o.launchPrefix());
        return words.isEmpty() ? "" : ShellQuote.join(words) + " ";
    }

    private static Map<String, Object> jobVars(Plan plan, Job job, boolean data, Path workDir) {
        int firstId = plan.firstWorkUnitId(job.name());
        int count = Math.toIntExact(job.workUnitCount());
        List<String> argv = new ArrayList<>(job.command());
        argv.addAll(job.args());
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("name", job.name());
        vars.put("firstId", firstId);
        vars.put("lastId", firstId + count - 1);
        vars.put("count", count);
        vars.put("argv", argv);
        vars.put("unitData", data ? workDir.resolve(UnitData.recordsOf(job.name())).toString() : "");
        vars.put("unitIndex", data ? workDir.resolve(UnitData.indexOf(job.name())).toString() : "");
        vars.put("indexRecordSize", UnitData.INDEX_RECORD);
        vars.put("env", job.env());
        vars.put("cpus", job.resources().cpus());
        vars.put("nodes", job.resources().nodeCount());
        vars.put("tasksPerNode", job.resources().taskCountPerNode());
        // the CPUs of all of a node's tasks: what one process per node (ray start, torchrun) gets
        vars.put("nodeCpus", job.resources().cpus() == null ? null : job.resources().cpus() * job.resources().taskCountPerNode());
        vars.put("memoryMib", job.resources().memoryMib());
        vars.put("gpus", job.resources().gpus());
        vars.put("time", job.resources().time() == null ? null : Walltime.clock(job.resources().time()));
        return vars;
    }

    /** Each unit built when a template reads it: the built-in ones do not, a custom one that loops over units may. */
    private static List<Map<String, Object>> units(Plan plan, Job job) {
        List<WorkUnit> units = plan.workUnits(job);
        return new AbstractList<>() {
            public Map<String, Object> get(int i) {
                WorkUnit u = units.get(i);
                return Map.of("id", u.id(), "index", u.index(), "argv", u.argv(), "point", u.point());
            }

            public int size() {
                return units.size();
            }
        };
    }

    /** The jobs this one waits for, with their work unit ids, for schedulers that check the outcome in the script. */
    private static List<Map<String, Object>> after(Plan plan, Job job) {
        return job.after().stream().map(d -> {
            int first = plan.firstWorkUnitId(d.job());
            int count = Math.toIntExact(plan.experiment().job(d.job()).workUnitCount());
            return Map.<String, Object>of("job", d.job(), "when", d.when().name().toLowerCase(), "firstId", first,
                    "lastId", first + count - 1);
        }).toList();
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
