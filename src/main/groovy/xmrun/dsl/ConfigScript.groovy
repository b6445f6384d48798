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

    void cluster(String name, @DelegatesTo(value = ClusterContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        ExperimentContext.checkName('cluster', name)
        if (clusters.containsKey(name)) {
            throw new DslError("cluster '$name' is already declared at line ${clusters[name].declaredAt().line()}")
        }
        clusters[name] = DslRun.current().enter(new ClusterContext(name, DslContext.here()), body).build()
    }
}
