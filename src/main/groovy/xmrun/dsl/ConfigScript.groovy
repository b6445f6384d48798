package xmrun.dsl

import groovy.transform.CompileStatic
import xmrun.config.ClusterSpec
import xmrun.packs.Repositories

/** The base class of a cluster config file: {@code cluster('name') { ... }}, as many as needed. */
@CompileStatic
abstract class ConfigScript extends Script {
    final Map<String, ClusterSpec> clusters = [:]
    Repositories repositories = Repositories.DEFAULT

    /** {@code repositories { maven 'https://maven.lab.example/releases'; mavenCentral() }}: in this order. */
    void repositories(@DelegatesTo(value = RepositoriesContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        repositories = DslRun.current().enter(new RepositoriesContext(), body).build()
    }

    /** The names a launcher uses for this machine's own schedulers (as app.Clusters knows them); a config cluster would never be used under one. */
    /** Each scheduler's name is a cluster of its own: that scheduler on this machine. */
    static final List<String> BUILT_IN = List.copyOf(xmrun.scheduler.SchedulerRegistry.names())

    void cluster(String name, @DelegatesTo(value = ClusterContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        ExperimentContext.checkName('cluster', name)
        if (name in BUILT_IN) {
            throw new DslError("cluster name '$name' is built in (${BUILT_IN.join(', ')} run on this machine); give this cluster a name of its own")
        }
        if (clusters.containsKey(name)) {
            throw new DslError("cluster '$name' is already declared at line ${clusters[name].declaredAt().line()}")
        }
        clusters[name] = DslRun.current().enter(new ClusterContext(name, DslContext.here()), body).build()
    }

    void cluster(Closure body) {
        throw new DslError("a cluster needs a name: cluster('mila') { scheduler 'slurm'; ... }")
    }

    void cluster(String name) {
        throw new DslError("cluster('$name') needs a block: cluster('$name') { scheduler 'slurm'; ... }")
    }
}
