package xmrun.dsl

import groovy.transform.CompileStatic
import groovy.transform.PackageScope
import xmrun.model.ArgFormat
import xmrun.model.Container
import xmrun.model.Dependency
import xmrun.model.Job
import xmrun.model.Launch
import xmrun.model.Resources
import xmrun.model.Retry
import xmrun.model.Warning
import xmrun.model.SchedulerOptions
import xmrun.model.ScriptError
import xmrun.model.SourceRef
import xmrun.model.Suggest
import xmrun.model.Sweep

/** {@code job('train') { command ...; args ...; env ...; resources { }; sweep { }; after 'prep' }} */
@CompileStatic
class JobContext extends DslContext {
    private static final Map<String, Dependency.When> WHEN = [success: Dependency.When.SUCCESS, any: Dependency.When.ANY,
                                                              failure: Dependency.When.FAILURE]
    private final String name
    private final SourceRef declaredAt
    private final List<String> command = []
    private final List<String> positional = []
    private final Map<String, Object> named = [:]
    private final Map<String, String> env = [:]
    private final List<xmrun.model.Secret> secrets = []
    private final Map<String, String> options = [:]
    private final Map<String, String> placement = [:]
    private final List<String> setup = []
    private final List<String> preRun = []
    private final List<String> postRun = []
    private final List<String> launchPrefix = []
    /** Values of the word {@code srun}: job words, unless {@code launch} takes one of them. */
    private final List<Launch.Srun> srunWords = []
    private Launch launch
    private Integer maxParallel
    private Integer maxArraySize
    private final List<Dependency> after = []
    private Resources resources = Resources.DEFAULT
    private final SweepSlot ownSweep
    private boolean noSweep
    private Retry retry
    private Warning warning
    private Container ownContainer
    private boolean noContainer
    private SourceRef containerAt
    /** The group this job is a member of, or null. */
    private final String group

    /** {@code sweep none}: this job runs once, outside the experiment's sweep. */
    final NoSweep none = NoSweep.NONE
    private SourceRef resourcesAt

    JobContext(String name, SourceRef declaredAt, String group = null) {
        this.name = name
        this.declaredAt = declaredAt
        this.group = group
        this.ownSweep = new SweepSlot("job '$name'")
    }

    String blockName() { "job('$name') { }" }

    protected Set<String> valueNames() { ['none'] as Set<String> }
    @PackageScope
    String jobName() { name }

    /** {@code command 'python3', '-m', 'train'}: the program and its first arguments, one argv element each. */
    void command(Object... parts) {
        if (!command.isEmpty()) {
            throw new DslError("job '$name' already has a command; use 'args' to add arguments")
        }
        for (Object p : flatten(parts)) {
            command << text('command', p)
        }
        if (command.isEmpty()) {
            throw new DslError("'command' needs at least the program to run")
        }
    }

    /** {@code args 'data.csv', epochs: 10}: positional arguments, then {@code --epochs=10}. */
    void args(Map<String, Object> namedArgs, Object... positionalArgs) {
        namedArgs.each { Object k, Object v ->
            String key = argName('argument', k)
            if (named.containsKey(key)) {
                throw new DslError("argument '$key' is already set in ${blockName()}")
            }
            named[key] = argValue(key, v)
        }
        args(positionalArgs)
    }

    void args(Object... positionalArgs) {
        for (Object p : flatten(positionalArgs)) {
            positional << ArgFormat.value(argValue('args', p))
        }
    }

    /** {@code env WANDB_PROJECT: 'mnist'} */
    void env(Map<String, Object> vars) {
        vars.each { String k, Object v ->
            envName(k)
            if (env.containsKey(k)) {
                throw new DslError("env '$k' is already set in ${blockName()}")
            }
            env[k] = ArgFormat.value(argValue(k, v))
        }
    }

    /**
     * {@code secret 'WANDB_API_KEY', 'HF_TOKEN'}: the program gets these variables from xmrun's own environment when the
     * job is submitted (and resubmitted); only the names are written anywhere, never the values.
     */
    void secret(String... names) {
        addSecrets(secrets, names, blockName())
    }

    @PackageScope
    static void addSecrets(List<xmrun.model.Secret> into, String[] names, String block) {
        if (names.length == 0) {
            throw new DslError("'secret' needs the name of a variable in xmrun's environment, like secret 'WANDB_API_KEY'")
        }
        SourceRef at = here()
        for (String n : names) {
            String name = envName(text('secret', n))
            if (into.any { it.name() == name }) {
                throw new DslError("secret '$name' is already named in $block")
            }
            into << new xmrun.model.Secret(name, at)
        }
    }

    /** {@code container 'ghcr.io/lab/train:1.2'}: the program runs in this image (instead of the experiment's container). */
    void container(Object image) {
        if (image instanceof NoSweep) {
            setContainer(null, true)
        } else {
            setContainer(ContainerContext.of(image, here()), false)
        }
    }

    /** {@code container { image '...'; runtime 'enroot'; mount '/data', '/data', ro: true }} */
    void container(@DelegatesTo(value = ContainerContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        setContainer(DslRun.current().enter(new ContainerContext(here()), body).build(), false)
    }

    private void setContainer(Container c, boolean none) {
        if (containerAt != null) {
            throw new DslError("job '$name' already has a container (line ${containerAt.line()})")
        }
        containerAt = here()
        ownContainer = c
        noContainer = none
    }

    void resources(@DelegatesTo(value = ResourcesContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        if (resourcesAt != null) {
            throw new DslError("job '$name' already has resources { } at line ${resourcesAt.line()}; put every resource in one block")
        }
        resourcesAt = here()
        resources = DslRun.current().enter(new ResourcesContext(), body).build()
    }

    void sweep(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        notInGroup('sweep')
        ownSweep.declare { DslRun.current().enter(new SweepContext(), body).build() }
    }

    /** {@code sweep file('sweeps/lr.sweep.groovy')}: a sweep kept in its own file, relative to the launcher. */
    void sweep(SweepFile file) {
        notInGroup('sweep')
        ownSweep.declare { file.load() }
    }

    void sweep(NoSweep ignored) {
        notInGroup('sweep')
        ownSweep.declare {
            noSweep = true
            Sweep.NONE
        }
    }

    /** Names a sweep file for {@code sweep}. */
    SweepFile file(Object path) {
        new SweepFile(text('file', path), here())
    }

    /** {@code after 'prep'}, or {@code after 'train', when: 'any'} ('success' by default, 'any', 'failure'). */
    void after(Map<String, Object> opts, String... jobs) {
        Set<String> unknown = opts.keySet() - ['when']
        if (unknown) {
            throw new DslError("'after' takes only when: ('success', 'any', 'failure'), not '${unknown.first()}'")
        }
        Dependency.When when = WHEN[String.valueOf(opts.when)]
        if (when == null) {
            throw new DslError("after ... when: must be 'success', 'any' or 'failure', got ${describe(opts.when)}"
                    + Suggest.didYouMean(String.valueOf(opts.when), WHEN.keySet()))
        }
        addAfter(when, jobs)
    }

    void after(String... jobs) {
        addAfter(Dependency.When.SUCCESS, jobs)
    }

    private void addAfter(Dependency.When when, String... jobs) {
        notInGroup('after')
        if (jobs.length == 0) {
            throw new DslError("'after' needs the name of a job")
        }
        SourceRef at = here()
        jobs.each { after << new Dependency(it, when, at) }
    }

    /** Scheduler options passed through as they are: {@code option 'constraint', 'a100'} ({@code --constraint=a100} on Slurm). */
    void option(String key, Object value) {
        if (!(key ==~ /[A-Za-z][A-Za-z0-9_-]*/)) {
            throw new DslError("option name '$key' must be a plain word like 'constraint' (no leading dashes)")
        }
        if (options.containsKey(key)) {
            throw new DslError("option '$key' is already set in ${blockName()}")
        }
        options[key] = ArgFormat.value(argValue(key, value))
    }

    /** Slurm partition. */
    void partition(Object name) { place('partition', name) }

    /** SGE queue. */
    void queue(Object name) { place('queue', name) }

    /** Slurm account / SGE project. */
    void account(Object name) { place('account', name) }

    /** Slurm quality of service. */
    void qos(Object name) { place('qos', name) }

    private void place(String word, Object value) {
        once(word)
        placement[word] = text(word, value)
    }

    /** Shell lines at the top of the job script: {@code setup 'module load cuda/12.1'}. */
    void setup(String... lines) { lines.each { setup << text('setup', it) } }

    /** Shell lines just before the program runs. */
    void preRun(String... lines) { lines.each { preRun << text('preRun', it) } }

    /** Shell lines after the program ends; the work unit keeps the program's exit status. */
    void postRun(String... lines) { lines.each { postRun << text('postRun', it) } }

    /**
     * Two uses, told apart by {@code launch}. As a job word, {@code srun '--cpu-bind=cores'}: run the program
     * through Slurm's srun with these options. As {@code launch srun()} (options too: {@code launch srun('--cpu-bind=cores')}):
     * start the program as one process per task of the allocation, nodes x tasksPerNode of them.
     */
    Launch.Srun srun(String... srunOptions) {
        def value = new Launch.Srun(srunOptions.collect { text('srun', it) }, here())
        srunWords << value
        value
    }

    /**
     * How the program starts inside the allocation: {@code launch ray()}, {@code launch torchrun(procsPerNode: 4)},
     * {@code launch srun()}.
     */
    void launch(Object helper) {
        if (!(helper instanceof Launch)) {
            throw new DslError("'launch' takes ray(), torchrun(procsPerNode: N) or srun(), got ${describe(helper)}")
        }
        if (launch != null) {
            throw new DslError("job '$name' already has ${launch.word()} (line ${launch.declaredAt().line()}); a program starts one way")
        }
        if (helper instanceof Launch.Srun) {
            srunWords.removeIf { it.is(helper) }
        }
        launch = (Launch) helper
    }

    /**
     * For {@code launch}: a Ray cluster over the unit's nodes, the program run once as its driver.
     * Options: {@code port} (the head's; the dashboard takes the next), {@code dashboard} (false),
     * {@code symmetric} (false: {@code ray start} per node; true: {@code ray symmetric-run}).
     */
    Launch.Ray ray(Map<String, Object> options = [:]) {
        checkOptions('ray', options, ['port', 'dashboard', 'symmetric'])
        new Launch.Ray(port('ray', options.port), flag('ray', 'dashboard', options.dashboard),
                flag('ray', 'symmetric', options.symmetric), here())
    }

    /** For {@code launch}: one torchrun per node with a c10d rendezvous; options {@code procsPerNode}, {@code port}. */
    Launch.Torchrun torchrun(Map<String, Object> options = [:]) {
        checkOptions('torchrun', options, ['procsPerNode', 'port'])
        new Launch.Torchrun(options.procsPerNode == null ? null : wholeNumber('procsPerNode', options.procsPerNode, 1),
                port('torchrun', options.port), here())
    }

    private static void checkOptions(String helper, Map<String, Object> options, List<String> known) {
        String unknown = options.keySet().find { !(it in known) }
        if (unknown != null) {
            throw new DslError("$helper() takes ${known.collect { it + ':' }.join(', ')} not '$unknown:'"
                    + Suggest.didYouMean(unknown, known))
        }
    }

    /** A port and the 99 after it (Ray's dashboard and worker ports come from that block): above the privileged ones. */
    private static Integer port(String helper, Object value) {
        if (value == null) {
            return null
        }
        int p = wholeNumber("$helper(port:)", value, 1024)
        if (p > 65435) {
            throw new DslError("$helper(port:) must be 1024-65435 (it and the 99 ports after it), got $p")
        }
        p
    }

    private static boolean flag(String helper, String option, Object value) {
        if (value == null) {
            return false
        }
        if (!(value instanceof Boolean)) {
            throw new DslError("$helper($option:) takes true or false, got ${describe(value)}")
        }
        (boolean) value
    }

    private void notInGroup(String word) {
        if (group != null) {
            throw new DslError("job '$name' is a member of group '$group', whose members start together: "
                    + "put '$word' on group('$group') { }")
        }
    }

    /** Words before the program, e.g. a profiler: {@code launchPrefix 'nsys', 'profile'}. */
    void launchPrefix(String... words) { words.each { launchPrefix << text('launchPrefix', it) } }

    /**
     * {@code retry 3}: a unit that fails runs again, up to 3 more times; {@code retry 3, on: ['TIMEOUT', 'PREEMPTED']}
     * only when it failed so (TIMEOUT, PREEMPTED, NODE_FAIL, OUT_OF_MEMORY, or FAILED: a non-zero exit or a signal).
     */
    void retry(Map<String, Object> opts, Object times) {
        Set<String> unknown = opts.keySet() - ['on']
        if (unknown) {
            throw new DslError("'retry' takes only on: [...], not '${unknown.first()}'")
        }
        Object on = opts.on
        List<Object> kinds = on instanceof Iterable ? ((Iterable) on).toList() : [on]
        Set<String> set = new LinkedHashSet<>()
        for (Object k : kinds) {
            String kind = text('retry on', k)
            if (!(kind in Retry.KINDS)) {
                throw new DslError("retry on: '$kind' is not a way a unit fails; one of ${Retry.KINDS.join(', ')}"
                        + Suggest.didYouMean(kind, Retry.KINDS))
            }
            set << kind
        }
        if (set.isEmpty()) {
            throw new DslError("retry on: needs at least one of ${Retry.KINDS.join(', ')}")
        }
        once('retry')
        retry = new Retry(wholeNumber('retry', times, 1), set)
    }

    void retry(Object times) {
        once('retry')
        retry = Retry.anyFailure(wholeNumber('retry', times, 1))
    }

    /** {@code signal 'USR2', before: '90s'}: the program gets SIGUSR2 90 s before its time limit, to checkpoint. */
    void signal(Map<String, Object> opts, Object name) {
        Set<String> unknown = opts.keySet() - ['before']
        if (unknown || !opts.containsKey('before')) {
            throw new DslError("'signal' takes the signal and before: the time ahead of the limit, like signal 'USR2', before: '90s'")
        }
        String s = text('signal', name).replaceFirst(/^SIG/, '')
        if (!(s in Warning.SIGNALS)) {
            throw new DslError("signal '$s' cannot warn a program; one of ${Warning.SIGNALS.join(', ')}" + Suggest.didYouMean(s, Warning.SIGNALS))
        }
        java.time.Duration before
        try {
            before = xmrun.model.Walltime.parse(text('before', opts.before))
        } catch (IllegalArgumentException e) {
            throw new DslError(e.message)
        }
        once('signal')
        warning = new Warning(s, before)
    }

    void signal(Object name) {
        throw new DslError("'signal' needs before: the time ahead of the limit, like signal 'USR2', before: '90s'")
    }

    /** At most this many work units of the job at once. */
    void maxParallel(Object n) {
        notAnArray('maxParallel')
        once('maxParallel')
        maxParallel = wholeNumber('maxParallel', n, 1)
    }

    /** Split the job into scheduler arrays of at most this many tasks. */
    void maxArraySize(Object n) {
        notAnArray('maxArraySize')
        once('maxArraySize')
        maxArraySize = wholeNumber('maxArraySize', n, 1)
    }

    private void notAnArray(String word) {
        if (group != null) {
            throw new DslError("'$word' shapes arrays; job '$name' is a member of group '$group', which goes out once per sweep point")
        }
    }

    /** A name a program can read from its environment, not one of xmrun's own. */
    static String envName(String k) {
        if (!(k ==~ /[A-Za-z_][A-Za-z0-9_]*/)) {
            throw new DslError("env name '$k' is not a valid variable name (letters, digits and '_', not starting with a digit)")
        }
        if (k.startsWith('XM_')) {
            throw new DslError("env name '$k' is reserved: xmrun sets XM_* variables itself")
        }
        k
    }

    /**
     * A named argument becomes {@code --NAME=value}, so its name brings no dashes of its own and holds
     * no '=' or blanks; a program could not tell where the name ends.
     */
    static String argName(String what, Object key) {
        String k = text(what, key)
        if (!(k ==~ /[^\s=-][^\s=]*/)) {
            throw new DslError(k.startsWith('-') ? "$what name '$k' must not start with '-': xmrun adds '--' itself (lr: 0.1 gives --lr=0.1)"
                    : "$what name '$k' must be a word without blanks or '=', like lr or batch-size")
        }
        k
    }

    private static Object argValue(String key, Object v) {
        scalar(key, v, "'$key' takes a string, number or boolean")
    }

    private static List<Object> flatten(Object[] parts) {
        List<Object> out = []
        for (Object p : parts) {
            if (p instanceof Iterable) {
                out.addAll((Iterable) p)
            } else {
                out << p
            }
        }
        out
    }

    /**
     * @param experimentSweep the experiment's sweep, {@link Sweep#NONE} when it has none (a group member: the group's)
     * @param inheritedAfter  a group member's: the group's dependencies
     * @param groups          each group's members, by group name: {@code after 'rl'} waits for all of them
     * @param experimentContainer the experiment's container, for a job that names none (and does not say {@code container none})
     */
    Job build(Sweep experimentSweep, List<Dependency> inheritedAfter = [], Map<String, List<String>> groups = [:],
              Container experimentContainer = null, List<xmrun.model.Secret> experimentSecrets = []) {
        if (command.isEmpty()) {
            throw new ScriptError(declaredAt, "job '$name' has no command; add e.g. command 'python3', 'train.py'")
        }
        List<String> argv = new ArrayList<>(positional)
        ArgFormat.appendNamed(named, argv)
        Sweep own = ownSweep.sweep() ?: Sweep.NONE
        Sweep sweep = combined(experimentSweep, own)
        for (String axis : sweep.names()) {
            boolean envAxis = axis in sweep.envNames()
            if (envAxis ? env.containsKey(axis) : named.containsKey(axis)) {
                throw new ScriptError(declaredAt, "job '$name' sets '$axis' both in ${envAxis ? 'env' : 'args'} and in "
                        + (axis in own.names() ? 'its sweep' : "the experiment's sweep"))
            }
        }
        Launch.Srun srunWord = srunWords ? srunWords.last() : null
        if (srunWord != null && launch != null) {
            throw new ScriptError(srunWord.declaredAt(), launch instanceof Launch.Srun
                    ? "job '$name' has both srun '...' and launch srun(); give the options to launch srun('...') alone"
                    : "job '$name' has srun '...', which runs the program through srun, and ${launch.word()}, "
                    + 'which starts it its own way; keep one')
        }
        List<Dependency> deps = new ArrayList<>(inheritedAfter)
        after.each { Dependency d -> deps.addAll(expand(d, groups)) }
        def scheduler = new SchedulerOptions(placement.partition, placement.queue, placement.account, placement.qos, setup,
                preRun, postRun, srunWord?.options(), launchPrefix, maxParallel, maxArraySize, options)
        if (retry != null && group != null) {
            // a member runs again only with its group (one heterogeneous job per point), which retries do not submit
            throw new ScriptError(declaredAt, "job '$name' is a member of group '$group'; its units cannot be retried alone")
        }
        if (warning != null) {
            if (resources.time() == null) {
                throw new ScriptError(declaredAt, "job '$name' has signal '${warning.signal()}' before its time limit, but no time limit: add resources { time '2h' }")
            }
            if (warning.before() >= resources.time()) {
                throw new ScriptError(declaredAt, "job '$name': signal before '${xmrun.model.Walltime.clock(warning.before())}' is not shorter than its time limit")
            }
        }
        Container inside = noContainer ? null : (ownContainer ?: experimentContainer)
        Map<String, String> allEnv = inside == null ? env : (inside.env() + env) as Map<String, String>
        List<xmrun.model.Secret> allSecrets = secretsWith(experimentSecrets, allEnv, sweep)
        new Job(name, command, argv, allEnv, resources, sweep, deps, scheduler, resolved(launch), group, declaredAt, retry, warning, inside,
                allSecrets)
    }

    /**
     * The experiment's secrets, then the job's own (a name in both counts once). A secret's value comes from xmrun's
     * environment, so the same name cannot also get a value from the launcher.
     */
    private List<xmrun.model.Secret> secretsWith(List<xmrun.model.Secret> experimentSecrets, Map<String, String> allEnv, Sweep sweep) {
        List<xmrun.model.Secret> all = new ArrayList<>(experimentSecrets)
        secrets.each { xmrun.model.Secret s -> if (!all.any { it.name() == s.name() }) { all << s } }
        for (xmrun.model.Secret s : all) {
            if (allEnv.containsKey(s.name()) || s.name() in sweep.envNames()) {
                throw new ScriptError(s.declaredAt(), "'${s.name()}' of job '$name' is a secret and also gets a value from the launcher"
                        + " (${allEnv.containsKey(s.name()) ? 'env' : 'an env axis of its sweep'}); keep one")
            }
        }
        all
    }

    /** {@code after 'rl'} naming a group waits for every member of it. */
    @PackageScope
    static List<Dependency> expand(Dependency d, Map<String, List<String>> groups) {
        List<String> members = groups[d.job()]
        members == null ? [d] : members.collect { new Dependency(it, d.when(), d.declaredAt()) }
    }

    /** torchrun without procsPerNode: a process per GPU of a node, else one. */
    private Launch resolved(Launch chosen) {
        if (chosen instanceof Launch.Torchrun && chosen.procsPerNode() == null) {
            Integer gpus = resources.gpus()
            return new Launch.Torchrun(gpus != null && gpus > 0 ? gpus : 1, chosen.port(), chosen.declaredAt())
        }
        chosen
    }

    /**
     * An experiment's sweep applies to every job that does not say {@code sweep none}, as the outer
     * (slowest) axes of a product with the job's own: {@code seed 0..2} at the top runs each job's
     * own sweep once per seed. Users put shared axes there to stop repeating them in every job.
     */
    private Sweep combined(Sweep outer, Sweep own) {
        combine(outer, own, noSweep, ownSweep, "job '$name'")
    }

    /** The experiment's sweep as outer axes of a job's or group's own ({@code who}); {@code sweep none} keeps only its own. */
    @PackageScope
    static Sweep combine(Sweep outer, Sweep own, boolean noSweep, SweepSlot slot, String who) {
        if (noSweep || outer == Sweep.NONE) {
            return own
        }
        if (own == Sweep.NONE) {
            return outer
        }
        String twice = own.names().find { it in outer.names() }
        if (twice != null) {
            throw new ScriptError(slot.at(), "$who sweeps '$twice', which the experiment's sweep already does")
        }
        try {
            new Sweep.Product([outer, own])
        } catch (ArithmeticException ignored) {
            throw new ScriptError(slot.at(), "$who with the experiment's sweep has more points than can be counted")
        }
    }
}
