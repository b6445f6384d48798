package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.config.ClusterSpec
import xmrun.config.SshTarget
import xmrun.model.ScriptError
import xmrun.model.SourceRef
import xmrun.model.Suggest

/**
 * {@code cluster('mila') { scheduler 'slurm'; ssh { ... }; workdir '...'; slurm { ... }; setup '...';
 * environment SLURM_CONF: '...' }}
 */
@CompileStatic
class ClusterContext extends DslContext {
    static final List<String> SCHEDULERS = List.copyOf(xmrun.scheduler.SchedulerRegistry.names())
    static final List<String> SLURM_WORDS = ['partition', 'account', 'qos']
    static final List<String> SGE_WORDS = ['queue', 'project']

    private final String name
    private final SourceRef declaredAt
    private String scheduler
    private SshTarget ssh
    private String workdir
    private final Map<String, String> placement = [:]
    private final List<String> setup = []
    private final List<String> templatePacks = []
    private ClusterSpec.Containers containers = ClusterSpec.Containers.NONE
    private SshTarget proxy
    private final Map<String, String> environment = [:]
    private final List<String> commandPrefix = []

    ClusterContext(String name, SourceRef declaredAt) {
        this.name = name
        this.declaredAt = declaredAt
    }

    String blockName() { "cluster('$name') { }" }

    void scheduler(Object kind) {
        once('scheduler')
        String s = text('scheduler', kind)
        if (!(s in SCHEDULERS)) {
            throw new DslError("scheduler must be one of ${SCHEDULERS.join(', ')}, got '$s'" + Suggest.didYouMean(s, SCHEDULERS))
        }
        scheduler = s
    }

    /** {@code ssh 'alias'}: everything from ~/.ssh/config. */
    void ssh(String alias) {
        once('ssh')
        ssh = new SshTarget(SshContext.hostName('ssh', alias), null, null, null, null, null, null)
    }

    void ssh(@DelegatesTo(value = SshContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        once('ssh')
        ssh = DslRun.current().enter(new SshContext(), body).build()
    }

    void workdir(Object dir) {
        once('workdir')
        String d = text('workdir', dir)
        if (!d.startsWith('/') && !d.startsWith('~/')) {
            throw new DslError("workdir must be an absolute path (or start with ~/), got '$d'")
        }
        workdir = d
    }

    void slurm(@DelegatesTo(value = PlacementContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        placement.putAll(DslRun.current().enter(new PlacementContext('slurm { }', SLURM_WORDS), body).values)
    }

    void sge(@DelegatesTo(value = PlacementContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        Map<String, String> v = DslRun.current().enter(new PlacementContext('sge { }', SGE_WORDS), body).values
        placement.queue = v.queue
        placement.account = v.project ?: placement.account
    }

    void setup(String... lines) { lines.each { setup << text('setup', it) } }

    /** Template packs for every launch on this cluster: {@code templates 'org.lab:hpc-templates:1.2'}. */
    void templates(String... coordinates) {
        coordinates.each { templatePacks << ExperimentContext.coordinate('templates', it) }
    }

    static final List<String> CONTAINER_WORDS = ['runtime', 'cache']

    /** {@code container { runtime 'apptainer'; cache '/scratch/me/images' }}: for jobs that run in a container. */
    void container(@DelegatesTo(value = PlacementContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        Map<String, String> v = DslRun.current().enter(new PlacementContext('container { }', CONTAINER_WORDS), body).values
        if (v.runtime != null && !(v.runtime ==~ /[a-z][a-z0-9_-]*/)) {
            throw new DslError("runtime must be a plain name like 'apptainer', got '${v.runtime}'")
        }
        if (v.cache != null && !v.cache.startsWith('/') && !v.cache.startsWith('~/')) {
            throw new DslError("cache must be an absolute path (or start with ~/), got '${v.cache}'")
        }
        containers = new ClusterSpec.Containers(v.runtime, v.cache)
    }

    /**
     * {@code proxy 'submission-host'}: each job opens an SSH SOCKS tunnel ({@code ssh -N -D}) to the host it was submitted
     * from (or to the host named) and sends its traffic through it, for compute nodes without internet.
     */
    void proxy(Object host) {
        proxy = new SshTarget(text('proxy', host), null, null, null, null, null, null)
    }

    /** {@code proxy { host 'submission-host'; port 2222; identity '~/.ssh/tunnel' }}: the same, with ssh options. */
    void proxy(@DelegatesTo(value = SshContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        proxy = DslRun.current().enter(new SshContext('proxy'), body).build()
    }

    /**
     * {@code environment SLURM_CONF: '/etc/slurm-b/slurm.conf'}: variables every command xmrun runs on the cluster gets
     * (as {@code env NAME=value COMMAND}): a scheduler whose clients need them, like a second Slurm beside the default.
     */
    void environment(Map<String, Object> vars) {
        vars.each { String k, Object v ->
            if (!(k ==~ /[A-Za-z_][A-Za-z0-9_]*/)) {
                throw new DslError("environment name '$k' is not a valid variable name (letters, digits and '_', not starting with a digit)")
            }
            if (environment.containsKey(k)) {
                throw new DslError("environment '$k' is already set in ${blockName()}")
            }
            environment[k] = text("environment $k", v)
        }
    }

    /**
     * {@code commandPrefix 'bash', '-lc', 'module load slurm && exec "$@"', 'xmrun'}: words before every command xmrun runs
     * on the cluster, for sites whose scheduler commands need a login shell's setup first. The command follows as
     * further arguments, so a shell prefix runs it with {@code exec "$@"}, its name ($0) given last.
     */
    void commandPrefix(Object... words) {
        once('commandPrefix')
        if (words.length == 0) {
            throw new DslError("commandPrefix needs at least one word, e.g. commandPrefix 'bash', '-lc', 'module load slurm && exec \"\$@\"', 'xmrun'")
        }
        words.each { commandPrefix << text('commandPrefix', it) }
    }

    ClusterSpec build() {
        if (scheduler == null) {
            throw new ScriptError(declaredAt, "cluster '$name' needs a scheduler, one of: ${SCHEDULERS.join(', ')}")
        }
        String dir = workdir ?: (ssh != null ? '~/xmrun' : null)
        new ClusterSpec(name, scheduler, ssh, dir,
                new ClusterSpec.Placement(placement.partition, placement.account, placement.qos, placement.queue), setup,
                templatePacks, declaredAt, containers, proxy, environment, commandPrefix)
    }
}
