package xmrun.dsl

import groovy.transform.CompileStatic
import groovy.transform.PackageScope
import xmrun.model.ArgFormat
import xmrun.model.Container
import xmrun.model.Dependency
import xmrun.model.Job
import xmrun.model.Resources
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
    private final Map<String, String> options = [:]
    private final Map<String, String> placement = [:]
    private final List<String> setup = []
    private final List<String> preRun = []
    private final List<String> postRun = []
    private final List<String> launchPrefix = []
    private List<String> srun
    private Integer maxParallel
    private Integer maxArraySize
    private final List<Dependency> after = []
    private Resources resources = Resources.DEFAULT
    private final SweepSlot ownSweep
    private boolean noSweep
    private Container container
    private boolean noContainer
    private SourceRef containerAt

    /** {@code sweep none}: this job runs once, outside the experiment's sweep. */
    final NoSweep none = NoSweep.NONE

    JobContext(String name, SourceRef declaredAt) {
        this.name = name
        this.declaredAt = declaredAt
        this.ownSweep = new SweepSlot("job '$name'")
    }

    String blockName() { "job('$name') { }" }

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
        namedArgs.each { String k, Object v -> named[k] = argValue(k, v) }
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
            checkEnvName(k)
            env[k] = ArgFormat.value(argValue(k, v))
        }
    }

    @PackageScope
    static void checkEnvName(String k) {
        if (!(k ==~ /[A-Za-z_][A-Za-z0-9_]*/)) {
            throw new DslError("env name '$k' is not a valid variable name")
        }
        if (k.startsWith('XM_')) {
            throw new DslError("env name '$k' is reserved: xmrun sets XM_* variables itself")
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
        container = c
        noContainer = none
    }

    void resources(@DelegatesTo(value = ResourcesContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        resources = DslRun.current().enter(new ResourcesContext(), body).build()
    }

    void sweep(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        ownSweep.declare { DslRun.current().enter(new SweepContext(), body).build() }
    }

    /** {@code sweep file('sweeps/lr.sweep.groovy')}: a sweep kept in its own file, relative to the launcher. */
    void sweep(SweepFile file) {
        ownSweep.declare { file.load() }
    }

    void sweep(NoSweep ignored) {
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
        options[key] = ArgFormat.value(argValue(key, value))
    }

    /** Slurm partition. */
    void partition(Object name) { placement.partition = text('partition', name) }

    /** SGE queue. */
    void queue(Object name) { placement.queue = text('queue', name) }

    /** Slurm account / SGE project. */
    void account(Object name) { placement.account = text('account', name) }

    /** Slurm quality of service. */
    void qos(Object name) { placement.qos = text('qos', name) }

    /** Shell lines at the top of the job script: {@code setup 'module load cuda/12.1'}. */
    void setup(String... lines) { lines.each { setup << text('setup', it) } }

    /** Shell lines just before the program runs. */
    void preRun(String... lines) { lines.each { preRun << text('preRun', it) } }

    /** Shell lines after the program ends; the work unit keeps the program's exit status. */
    void postRun(String... lines) { lines.each { postRun << text('postRun', it) } }

    /** Run the program through Slurm's srun, with these options: {@code srun '--cpu-bind=cores'}. */
    void srun(String... srunOptions) { srun = srunOptions.collect { text('srun', it) } }

    /** Words before the program, e.g. a profiler: {@code launchPrefix 'nsys', 'profile'}. */
    void launchPrefix(String... words) { words.each { launchPrefix << text('launchPrefix', it) } }

    /** At most this many work units of the job at once. */
    void maxParallel(Object n) { maxParallel = wholeNumber('maxParallel', n, 1) }

    /** Split the job into scheduler arrays of at most this many tasks. */
    void maxArraySize(Object n) { maxArraySize = wholeNumber('maxArraySize', n, 1) }

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
     * @param experimentSweep the experiment's sweep, {@link Sweep#NONE} when it has none
     * @param experimentContainer the experiment's container, for a job that names none (and does not say {@code container none})
     */
    Job build(Sweep experimentSweep, Container experimentContainer = null) {
        if (command.isEmpty()) {
            throw new ScriptError(declaredAt, "job '$name' has no command; add e.g. command 'python3', 'train.py'")
        }
        List<String> argv = new ArrayList<>(positional)
        ArgFormat.appendNamed(named, argv)
        Sweep own = ownSweep.sweep() ?: Sweep.NONE
        Sweep sweep = combined(experimentSweep, own)
        for (String axis : sweep.names()) {
            if (named.containsKey(axis)) {
                throw new ScriptError(declaredAt, "job '$name' sets '$axis' both in args and in "
                        + (axis in own.names() ? 'its sweep' : "the experiment's sweep"))
            }
        }
        def scheduler = new SchedulerOptions(placement.partition, placement.queue, placement.account, placement.qos, setup,
                preRun, postRun, srun, launchPrefix, maxParallel, maxArraySize, options)
        Container inside = noContainer ? null : (container ?: experimentContainer)
        Map<String, String> allEnv = inside == null ? env : (inside.env() + env) as Map<String, String>
        new Job(name, command, argv, allEnv, resources, sweep, after, scheduler, declaredAt, inside)
    }

    /**
     * An experiment's sweep applies to every job that does not say {@code sweep none}, as the outer
     * (slowest) axes of a product with the job's own: {@code seed 0..2} at the top runs each job's
     * own sweep once per seed. Users put shared axes there to stop repeating them in every job.
     */
    private Sweep combined(Sweep outer, Sweep own) {
        if (noSweep || outer == Sweep.NONE) {
            return own
        }
        if (own == Sweep.NONE) {
            return outer
        }
        String twice = own.names().find { it in outer.names() }
        if (twice != null) {
            throw new ScriptError(ownSweep.at(), "job '$name' sweeps '$twice', which the experiment's sweep already does")
        }
        try {
            new Sweep.Product([outer, own])
        } catch (ArithmeticException ignored) {
            throw new ScriptError(ownSweep.at(), "job '$name' with the experiment's sweep has more points than can be counted")
        }
    }
}
