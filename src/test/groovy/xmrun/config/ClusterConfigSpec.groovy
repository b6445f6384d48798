package xmrun.config

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError
import xmrun.dsl.ConfigLoader

import java.nio.file.Path

class ClusterConfigSpec extends Specification {
    @TempDir
    Path dir

    Map<String, ClusterSpec> load(String text) {
        Path f = dir.resolve('clusters.groovy')
        f.toFile().text = text
        ConfigLoader.load(f, 'clusters.groovy').clusters()
    }

    def 'the design example reads into a cluster spec'() {
        when:
        def c = load('''
            cluster('mila') {
                scheduler 'slurm'
                ssh { host 'login.example.org'; port 22; user 'me'; identity '~/.ssh/id_ed25519'; jump 'bastion' }
                workdir '/scratch/me/xmrun'
                slurm { partition 'main'; account 'lab' }
                setup 'module load cuda/12.1'
            }''').mila

        then:
        c.scheduler() == 'slurm'
        c.ssh() == new SshTarget('login.example.org', 22, 'me', '~/.ssh/id_ed25519', 'bastion', null, null)
        c.workdir() == '/scratch/me/xmrun'
        c.defaults() == new ClusterSpec.Placement('main', 'lab', null, null)
        c.setup() == ['module load cuda/12.1']
    }

    def 'a jump host is written as ssh -J takes it: #jump'() {
        expect:
        load("cluster('a') { scheduler 'slurm'; ssh { host 'login'; jump '$jump' } }").a.ssh().jump() == jump

        where:
        jump << ['bastion', 'me@gate.example.org', 'me@gate.example.org:2222', 'gate1,me@gate2:22', '[::1]:2223']
    }

    def 'a cluster sets the container runtime and image cache of its jobs, and a proxy for its compute nodes'() {
        when:
        def c = load('''
            cluster('mila') {
                scheduler 'slurm'
                container { runtime 'apptainer'; cache '/scratch/me/images' }
                proxy 'submission-host'
            }
            cluster('tunnel') {
                scheduler 'sge'
                proxy { host 'login1'; port 2222; identity '~/.ssh/tunnel' }
            }
            cluster('plain') { scheduler 'slurm' }''')

        then:
        c.mila.containers() == new ClusterSpec.Containers('apptainer', '/scratch/me/images')
        c.mila.proxy() == new SshTarget(ClusterSpec.SUBMISSION_HOST, null, null, null, null, null, null)
        c.tunnel.proxy() == new SshTarget('login1', 2222, null, '~/.ssh/tunnel', null, null, null)
        c.tunnel.containers() == ClusterSpec.Containers.NONE
        c.plain.proxy() == null
    }

    def 'a cluster gives its scheduler commands an environment, or a prefix, which goes before every command run there'() {
        when:
        def c = load('''
            cluster('second') {
                scheduler 'slurm'
                environment SLURM_CONF: '/etc/slurm-b/slurm.conf', TZ: 'UTC'
            }
            cluster('modules') {
                scheduler 'slurm'
                commandPrefix 'bash', '-lc', 'module load slurm && exec "$@"', 'xmrun'
            }
            cluster('plain') { scheduler 'slurm' }''')

        then:
        c.second.environment() == [SLURM_CONF: '/etc/slurm-b/slurm.conf', TZ: 'UTC']
        c.second.commandWords() == ['env', 'SLURM_CONF=/etc/slurm-b/slurm.conf', 'TZ=UTC']
        c.modules.commandWords() == ['bash', '-lc', 'module load slurm && exec "$@"', 'xmrun']
        c.plain.commandWords() == []

        when: 'a cluster built from the config runs a command'
        def t = new xmrun.cluster.CountingTransport()
        t.override = { List<String> argv -> new xmrun.transport.ExecResult(0, '', '') }
        new xmrun.executor.Cluster('second', new xmrun.scheduler.slurm.SlurmScheduler(), t, c.second).transport().run(['squeue', '--me'])

        then: 'the environment goes before it'
        t.calls == [['env', 'SLURM_CONF=/etc/slurm-b/slurm.conf', 'TZ=UTC', 'squeue', '--me']]
        xmrun.cluster.CountingTransport.programOf(t.calls[0]) == 'squeue'
    }

    def 'a bad config is one FILE:LINE line'() {
        when:
        load(text)

        then:
        UserError e = thrown()
        e.message == message

        where:
        text                                                                       || message
        "cluster('a') {\n  schedular 'slurm'\n}"                                   || "clusters.groovy:2: unknown word 'schedular' in cluster('a') { }; did you mean 'scheduler'?"
        "cluster('a') {\n  scheduler 'pbs'\n}"                                     || "clusters.groovy:2: scheduler must be one of local, slurm, sge, got 'pbs'"
        "cluster('a') {\n  scheduler 'slurm'\n  ssh { hots 'x' }\n}"               || "clusters.groovy:3: unknown word 'hots' in ssh { }; did you mean 'host'?"
        "cluster('a') {\n  scheduler 'slurm'\n  ssh { host 'x'; port 70000 }\n}"   || "clusters.groovy:3: port must be at most 65535, got 70000"
        "cluster('a') {\n  scheduler 'slurm'\n  workdir 'relative'\n}"             || "clusters.groovy:3: workdir must be an absolute path (or start with ~/), got 'relative'"
        "cluster('a') {\n  ssh 'login'\n}"                                         || "clusters.groovy:1: cluster 'a' needs a scheduler, one of: local, slurm, sge"
        "cluster('a') {\n  scheduler 'slurm'\n  slurm { partiton 'x' }\n}"         || "clusters.groovy:3: unknown word 'partiton' in slurm { }; did you mean 'partition'?"
        "cluster('a') {\n  scheduler 'slurm'\n  container { runtme 'enroot' }\n}"  || "clusters.groovy:3: unknown word 'runtme' in container { }; did you mean 'runtime'?"
        "cluster('a') {\n  scheduler 'slurm'\n  container { cache 'images' }\n}"   || "clusters.groovy:3: cache must be an absolute path (or start with ~/), got 'images'"
        "cluster('a') {\n  scheduler 'slurm'\n  container { runtime 'Enroot' }\n}" || "clusters.groovy:3: runtime must be a plain name like 'apptainer', got 'Enroot'"
        "cluster('a') {\n  scheduler 'slurm'\n  proxy { port 22 }\n}"             || "clusters.groovy:3: proxy { } needs a host: host 'login.example.org'"
        "cluster('a') {\n  scheduler 'slurm'\n  environment 'SLURM CONF': 'x'\n}" || "clusters.groovy:3: environment name 'SLURM CONF' is not a valid variable name (letters, digits and '_', not starting with a digit)"
        "cluster('a') {\n  scheduler 'slurm'\n  enviroment A: 'x'\n}"           || "clusters.groovy:3: unknown word 'enviroment' in cluster('a') { }; did you mean 'environment'?"
    }

    def 'OpenSSH config: first value wins, patterns match, the explicit value beats the file'() {
        given:
        dir.resolve('.ssh').toFile().mkdirs()
        dir.resolve('.ssh/config').toFile().text = '''
            Host mila
              HostName login.mila.example
              User alice
              Port 2200
            Host bastion
              HostName gate.example
            Host m*
              User bob
              IdentityFile ~/.ssh/mila_key
              ProxyJump bastion
            '''.stripIndent()

        when:
        def e = SshEndpoint.resolve(new SshTarget('mila', null, null, null, null, null, null), dir)
        def explicit = SshEndpoint.resolve(new SshTarget('mila', 22, 'carol', null, 'none', null, null), dir)

        then:
        e.host() == 'login.mila.example'
        e.user() == 'alice'
        e.port() == 2200
        e.identities() == [dir.resolve('.ssh/mila_key')]
        e.knownHosts() == dir.resolve('.ssh/known_hosts')
        e.jump().host() == 'gate.example'
        e.jump().identities() == [dir.resolve('.ssh/mila_key')]
        explicit.port() == 22
        explicit.user() == 'carol'
        explicit.jump() == null
    }
}
