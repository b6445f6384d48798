package xmrun.dsl

import groovy.transform.CompileStatic
import groovy.transform.PackageScope
import xmrun.model.Dependency
import xmrun.model.Group
import xmrun.model.Job
import xmrun.model.ScriptError
import xmrun.model.SourceRef
import xmrun.model.Suggest
import xmrun.model.Sweep

/**
 * {@code group('rl') { job('learner') { }; job('actor') { } }}: member jobs that start together, one of each
 * per sweep point. The sweep and {@code after} belong to the group; each member keeps its own resources.
 */
@CompileStatic
class GroupContext extends DslContext {
    private static final Map<String, Dependency.When> WHEN = [success: Dependency.When.SUCCESS, any: Dependency.When.ANY,
                                                              failure: Dependency.When.FAILURE]
    private final String name
    private final SourceRef declaredAt
    private final List<JobContext> members = []
    private final List<Dependency> after = []
    private final SweepSlot ownSweep
    private boolean noSweep

    /** {@code sweep none}: the group runs once, outside the experiment's sweep. */
    final NoSweep none = NoSweep.NONE

    GroupContext(String name, SourceRef declaredAt) {
        this.name = name
        this.declaredAt = declaredAt
        this.ownSweep = new SweepSlot("group '$name'")
    }

    String blockName() { "group('$name') { }" }

    @PackageScope
    String name() { name }

    /** A member: a job like any other, without a sweep or an {@code after} of its own. */
    void job(String jobName, @DelegatesTo(value = JobContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        ExperimentContext.checkName('job', jobName)
        members << DslRun.current().enter(new JobContext(jobName, here(), name), body)
    }

    /** The points every member runs at: one heterogeneous job (all members) per point. */
    void sweep(@DelegatesTo(value = SweepContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        ownSweep.declare { DslRun.current().enter(new SweepContext(), body).build() }
    }

    void sweep(SweepFile file) {
        ownSweep.declare { file.load() }
    }

    void sweep(NoSweep ignored) {
        ownSweep.declare {
            noSweep = true
            Sweep.NONE
        }
    }

    SweepFile file(Object path) {
        new SweepFile(text('file', path), here())
    }

    /** The group starts once these jobs (or groups) have ended: {@code after 'prep'}, {@code after 'prep', when: 'any'}. */
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
        jobs.each { String job ->
            if (job == name) {
                throw new DslError("group '$name' cannot run after itself")
            }
            after << new Dependency(job, when, at)
        }
    }

    @PackageScope
    List<String> memberNames() {
        members.collect { JobContext j -> j.jobName() }
    }

    /** A group of one would be a job; the point of a group is that its members start together. */
    @PackageScope
    void checkMembers() {
        if (members.size() < 2) {
            throw new ScriptError(declaredAt, "group '$name' has ${members.size() == 0 ? 'no jobs' : 'one job'}; "
                    + "a group starts two or more jobs together (a single job needs no group)")
        }
    }

    @PackageScope
    Group group() {
        new Group(name, memberNames(), declaredAt)
    }

    @PackageScope
    List<Job> build(Sweep experimentSweep, Map<String, List<String>> groups, xmrun.model.Container experimentContainer = null,
                    List<xmrun.model.Secret> experimentSecrets = []) {
        Sweep sweep = JobContext.combine(experimentSweep, ownSweep.sweep() ?: Sweep.NONE, noSweep, ownSweep, "group '$name'")
        List<Dependency> deps = []
        after.each { Dependency d -> deps.addAll(JobContext.expand(d, groups)) }
        String inside = deps.find { it.job() in memberNames() }?.job()
        if (inside != null) {
            throw new ScriptError(after.first().declaredAt(), "group '$name' cannot run after its own member '$inside'")
        }
        members.collect { JobContext j -> j.build(sweep, deps, groups, experimentContainer, experimentSecrets) }
    }
}
