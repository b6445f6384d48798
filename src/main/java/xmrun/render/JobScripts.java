package xmrun.render;

import xmrun.model.Container;
import xmrun.model.ImagePin;
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
     * @param images         the image each container job runs, by job name
     * @param hostPath       a mount's host path as the cluster sees it (relative ones are in the code directory)
     * @param proxy          where each job opens its SOCKS tunnel to, or null (the cluster's {@code proxy})
     */
    public record Target(Scheduler scheduler, java.util.function.Function<String, String> clusterJobName,
                         xmrun.config.ClusterSpec.Placement defaults, List<String> clusterSetup, String codeDir,
                         Map<String, ImagePin> images, java.util.function.UnaryOperator<String> hostPath,
                         xmrun.config.SshTarget proxy) {
        public Target(Scheduler scheduler, java.util.function.Function<String, String> clusterJobName,
                      xmrun.config.ClusterSpec.Placement defaults, List<String> clusterSetup, String codeDir) {
            this(scheduler, clusterJobName, defaults, clusterSetup, codeDir, Map.of(), p -> p, null);
        }
    }

    /** A job's script; a group member's is its group's, which starts every member. */
    public static String scriptOf(Job job) {
        return "jobs/" + (job.group() != null ? job.group() : job.name()) + ".sh";
    }

    /** Where a job's script is in a work dir. */
    public static String scriptIn(String workDir, Job job) {
        return Path.of(workDir).resolve(scriptOf(job)).toString();
    }

    /** The list a retry array of the job reads, named after its first unit and attempt: each retry has its own. */
    public static String retryListOf(String job, int firstUnit, int attempt) {
        return "jobs/" + job + ".retry-" + firstUnit + "-" + attempt;
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
        Set<String> envAxes = job.sweep().envNames();
        for (WorkUnit u : plan.workUnits(job)) {
            if (writer != null) {
                Map<String, String> unitEnv = new LinkedHashMap<>();
                envAxes.forEach(name -> unitEnv.put(name, u.env().get(name)));
                writer.add(u.argv().subList(fixed, u.argv().size()), unitEnv);
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

    /**
     * {@code signal 'USR2', before: '90s'}: timeout(1) sends the signal that long before the time limit and goes
     * on waiting, the program's exit status kept. Outermost, so it also reaches the program through srun or a
     * container, which pass signals on. The same on every scheduler; its clock starts with the program.
     */
    private static String warning(Job job) {
        if (job.warning() == null) {
            return "";
        }
        long after = job.resources().time().minus(job.warning().before()).getSeconds();
        // --foreground: stay in the job's process group (a cancel must reach the program) and signal the program alone
        return ShellQuote.join(List.of("timeout", "--foreground", "--preserve-status", "--signal=" + job.warning().signal(), after + "s")) + " ";
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
        ctx.put("retryRecordSize", RetryList.RECORD);
        ctx.put("steps", scheduler.capabilities().contains(Capability.MULTI_NODE));
        ctx.put("scheduler", scheduler.name());
        ctx.put("proxy", target.proxy() == null ? null : proxy(target.proxy()));
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
        vars.put("launchPrefix", warning(job) + launchPrefix(job, scheduler, member));
        vars.put("warning", warning(job)); // goes first on the line that starts the program: see warning()
        vars.put("stepLauncher", o.srun() == null ? "" : words(scheduler.stepLauncher(o.srun())));
        vars.put("programPrefix", words(o.launchPrefix()));
        vars.put("container", job.container() == null ? null : container(job, target, workDir));
        vars.put("launch", job.launch().template()); // templates/launch/NAME.sh.peb: how the program's processes start
        vars.put("launcher", launcher(job));
        vars.put("hetGroup", member);
        vars.put("unitId", scheduler.runningUnitId() + (member == null || member == 0 ? "" : " + " + member));
        vars.put("nodeSetup", nodeSetup(job, target));
        vars.put("preRun", o.preRun());
        vars.put("postRun", o.postRun());
        return vars;
    }

    /** @param workDir null before the experiment has one (a start estimate): the directives then name no paths */
    private static JobDirectives directives(Job job, Path workDir, Target target) {
        SchedulerOptions o = job.scheduler();
        var d = target.defaults();
        return new JobDirectives(target.clusterJobName().apply(job.name()), job.resources(),
                or(o.partition(), d.partition()), or(o.queue(), d.queue()), or(o.account(), d.account()), or(o.qos(), d.qos()),
                workDir == null ? null : workDir.resolve("sched").toString(), workDir == null ? null : workDir.toString(), o.options(),
                job.retry() != null);
    }

    /**
     * What a job asks of the target's scheduler, as its script's directives say it, before the experiment has a work
     * dir: one per member when the job is in a group (they start together). For start estimates.
     */
    public static List<JobDirectives> requests(Plan plan, Job job, Target target) {
        Group group = plan.groupOf(job);
        List<Job> jobs = group == null ? List.of(job) : plan.members(group);
        return jobs.stream().map(j -> directives(j, null, target)).toList();
    }

    /** The launcher asks nothing of the target's scheduler that it cannot do (a ScriptError names the line if it does). */
    public static void check(Plan plan, Scheduler scheduler) {
        JobChecks.check(plan, scheduler);
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

    private static String words(List<String> words) {
        return words.isEmpty() ? "" : ShellQuote.join(words) + " ";
    }

    /**
     * What a container template lays out (templates/container/RUNTIME.sh.peb): the image to run, and the mounts with
     * the code and work directories first, each at its own path inside.
     */
    private static Map<String, Object> container(Job job, Target target, Path workDir) {
        Container c = job.container();
        ImagePin pin = target.images().get(job.name());
        if (pin == null) {
            throw new IllegalStateException("no image resolved for job " + job.name());
        }
        for (String dir : List.of(target.codeDir(), workDir.toString())) {
            if (dir.contains(",") || dir.contains(":")) {
                throw new xmrun.model.ScriptError(c.declaredAt(), "job '" + job.name() + "' runs in a container, but " + dir
                        + " cannot be mounted into one: runtimes separate mounts with ',' and ':'");
            }
        }
        List<Map<String, Object>> mounts = new ArrayList<>();
        mounts.add(mount(target.codeDir(), target.codeDir(), false, null));
        if (!workDir.toString().equals(target.codeDir())) {
            mounts.add(mount(workDir.toString(), workDir.toString(), false, null));
        }
        for (Container.Mount m : c.mounts()) {
            mounts.add(mount(target.hostPath().apply(m.host()), m.container(), m.readOnly(), m.declaredAt().toString()));
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("runtime", c.runtime());
        vars.put("reference", c.image());
        vars.put("image", pin.image());
        vars.put("digest", pin.digest());
        vars.put("file", c.imageRef().isFile());
        vars.put("kind", c.imageRef().kind().name().toLowerCase());
        vars.put("where", c.declaredAt().toString());
        vars.put("mounts", mounts);
        vars.put("workdir", target.codeDir());
        List<String> env = new ArrayList<>(job.env().keySet());
        job.sweep().envNames().stream().filter(n -> !env.contains(n)).forEach(env::add); // env axes too: per unit, from the data file
        vars.put("env", env);
        vars.put("secrets", job.secretNames()); // passed by name (podman -e NAME): a runtime that needs the value refuses them
        List<String> names = new ArrayList<>(env);
        names.addAll(job.secretNames());
        vars.put("names", names); // every variable the program gets from the script's environment by name (Pyxis)
        vars.put("gpus", job.resources().gpus() == null ? 0 : job.resources().gpus());
        vars.put("writable", c.writable());
        vars.put("options", c.options());
        return vars;
    }

    /**
     * The tunnel of {@code proxy} in a cluster's config: the host (null: the one the job was submitted from, which only
     * the running job knows) and the ssh options that reach it, as the config gives them.
     */
    private static Map<String, Object> proxy(xmrun.config.SshTarget t) {
        List<String> options = new ArrayList<>();
        if (t.port() != null) {
            options.addAll(List.of("-p", t.port().toString()));
        }
        if (t.user() != null) {
            options.addAll(List.of("-l", t.user()));
        }
        if (t.identity() != null) {
            options.addAll(List.of("-i", t.identity()));
        }
        if (t.knownHosts() != null) {
            options.addAll(List.of("-o", "UserKnownHostsFile=" + t.knownHosts()));
        }
        if (t.sshConfig() != null) {
            options.addAll(List.of("-F", t.sshConfig()));
        }
        if (t.jump() != null) {
            options.addAll(List.of("-J", t.jump()));
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("host", xmrun.config.ClusterSpec.SUBMISSION_HOST.equals(t.host()) ? null : t.host());
        vars.put("options", options);
        return vars;
    }

    /** @param where the launcher's FILE:LINE of a mount the user asked for; null for the code and work directories */
    private static Map<String, Object> mount(String host, String inside, boolean readOnly, String where) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("container", inside);
        m.put("readOnly", readOnly);
        m.put("where", where);
        m.put("top", inside.indexOf('/', 1) < 0 ? inside : inside.substring(0, inside.indexOf('/', 1)));
        return m;
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
        vars.put("secrets", job.secretNames()); // names only: the values reach the job in the submitting command's environment
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
