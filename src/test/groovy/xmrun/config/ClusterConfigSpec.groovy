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
