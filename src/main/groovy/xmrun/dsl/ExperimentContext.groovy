package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.model.Container
import xmrun.model.Experiment
import xmrun.model.Job
import xmrun.model.SourceRef
import xmrun.model.Sweep

import java.nio.file.Path

/** {@code experiment('mnist') { cluster 'slurm'; job('train') { } ... }} */
@CompileStatic
class ExperimentContext extends DslContext {
    private final String name
    private final SourceRef declaredAt
    /** Jobs and groups in the launcher's order, which work unit ids follow. */
    private final List<DslContext> jobs = []
    private final SweepSlot sweepSlot
    private String cluster = 'local'
    private SourceRef clusterAt
    private String code
    private SourceRef codeAt
    private final List<String> ignore = []
    private final List<String> templatePacks = []
    private Container container
    private final List<xmrun.model.Secret> secrets = []

    ExperimentContext(String name, SourceRef declaredAt) {
        this.name = name
        this.declaredAt = declaredAt
        this.sweepSlot = new SweepSlot("experiment '$name'")
    }

    String blockName() { "experiment('$name') { }" }

    /**
     * Where the jobs run: 'local', 'slurm', 'sge' (this machine's scheduler) or a cluster from the config. Several names
     * ({@code cluster 'mila', 'narval'}): each chain of jobs goes to the one that would start it first.
     */
    void cluster(Object... clusterNames) {
        once('cluster')
        if (clusterNames.length == 0) {
            throw new DslError("cluster needs a name, e.g. cluster 'slurm' (or several: cluster 'mila', 'narval')")
        }
        List<String> names = []
        for (Object n : clusterNames) {
            String name = text('cluster', n)
            if (name.contains(',') || name.trim().isEmpty()) {
                throw new DslError("cluster names are given one per argument: cluster 'mila', 'narval', got '$name'")
            }
            if (name in names) {
                throw new DslError("cluster '$name' is named twice")
            }
            names << name
        }
        cluster = names.join(',')
        clusterAt = here()
    }

    /** The code directory, relative to the launcher: work units start there; remote clusters get a copy. */
    void code(Object dir) {
        once('code')
        code = text('code', dir)
        codeAt = here()
    }

    /**
     * {@code secret 'WANDB_API_KEY', 'HF_TOKEN'}: every job's program gets these variables from xmrun's own environment
     * when it is submitted; their values are never written anywhere.
     */
    void secret(String... names) {
        JobContext.addSecrets(secrets, names, blockName())
    }

    /** Files not to stage, as glob patterns relative to the code directory: {@code ignore 'data/**', '*.ckpt'}. */
    void ignore(String... patterns) {
        patterns.each { ignore << text('ignore', it) }
    }

    /** A template pack by Maven coordinates: {@code templates 'org.lab:hpc-templates:1.2'}. */
    void templates(String... coordinates) {
        coordinates.each { templatePacks << coordinate('templates', it) }
    }

    static String coordinate(String word, String value) {
        if (!(value ==~ /[^:\s]+:[^:\s]+:[^:\s]+/)) {
            throw new DslError("'$word' takes Maven coordinates group:artifact:version, got '$value'")
        }
        value
    }

    /**
     * A sweep every job runs, wherever in the block it is written: each job's own sweep is combined
     * with it as a product, and a job that must run once (data preparation) says {@code sweep none}.
     */
    void sweep(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        sweepSlot.declare { DslRun.current().enter(new SweepContext(), body).build() }
    }

    /** {@code sweep file('sweeps/seeds.sweep.groovy')}: the same, kept in its own file. */
    void sweep(SweepFile file) {
        sweepSlot.declare { file.load() }
    }

    /** Names a sweep file for {@code sweep}, relative to the launcher. */
    SweepFile file(Object path) {
        new SweepFile(text('file', path), here())
    }

    /** {@code container 'ghcr.io/lab/train:1.2'}: every job's program runs in this image, unless the job names its own. */
    void container(Object image) {
        setContainer(ContainerContext.of(image, here()))
    }

    /** {@code container { image '...'; runtime 'enroot'; mount '/data', '/data', ro: true }} for every job. */
    void container(@DelegatesTo(value = ContainerContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        setContainer(DslRun.current().enter(new ContainerContext(here()), body).build())
    }

    private void setContainer(Container c) {
        if (container != null) {
            throw new DslError("experiment '$name' already has a container (line ${container.declaredAt().line()})")
        }
        container = c
    }

    void job(String jobName, @DelegatesTo(value = JobContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        checkName('job', jobName)
        jobs << DslRun.current().enter(new JobContext(jobName, here()), body)
    }

    void job(Closure body) {
        throw new DslError("a job needs a name: job('train') { command ... }")
    }

    void job(String jobName) {
        throw new DslError("job('$jobName') needs a block: job('$jobName') { command ... }")
    }

    /**
     * Jobs that start together, one of each per sweep point: on Slurm one heterogeneous job per point,
     * locally all at once. {@code group('rl') { sweep { }; after 'prep'; job('learner') { }; job('actor') { } }}
     */
    void group(String groupName, @DelegatesTo(value = GroupContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        checkName('group', groupName)
        GroupContext g = DslRun.current().enter(new GroupContext(groupName, here()), body)
        g.checkMembers()
        jobs << g
    }

    /** Jobs are built here, not when their block ends: the experiment's sweep may come after them. */
    Experiment build(Path launcher) {
        if (jobs.isEmpty()) {
            throw new xmrun.model.ScriptError(declaredAt, "experiment '$name' has no jobs; add job('name') { command ... }")
        }
        Sweep outer = sweepSlot.sweep() ?: Sweep.NONE
        List<GroupContext> groupBlocks = jobs.findAll { it instanceof GroupContext } as List<GroupContext>
        Map<String, List<String>> members = groupBlocks.collectEntries { GroupContext g -> [g.name(), g.memberNames()] }
        List<Job> built = []
        for (DslContext entry : jobs) {
            if (entry instanceof GroupContext) {
                built.addAll(((GroupContext) entry).build(outer, members, container, secrets))
            } else {
                built << ((JobContext) entry).build(outer, [], members, container, secrets)
            }
        }
        Path frozen = Sources.current()?.codeDir
        Path codeDir = frozen ?: (code == null ? launcher.parent : launcher.parent.resolve(code).normalize())
        if (frozen == null && !java.nio.file.Files.isDirectory(codeDir)) {
            throw new xmrun.model.ScriptError(codeAt, "code directory '$code' does not exist" + (Path.of(code).absolute ? '' : ' (relative to this launcher)'))
        }
        new Experiment(name, cluster, built, launcher, codeDir, ignore, templatePacks, clusterAt ?: declaredAt,
                groupBlocks.collect { GroupContext g -> g.group() })
    }

    /** Names end up in file names and scheduler job names, so keep them plain. */
    static void checkName(String word, String value) {
        if (!(value ==~ /[A-Za-z0-9][A-Za-z0-9_.-]{0,63}/)) {
            throw new DslError("$word name '$value' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit")
        }
    }
}
