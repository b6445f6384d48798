package xmrun.render

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError
import xmrun.XmrunProcess
import xmrun.app.LaunchService
import xmrun.app.XmrunHome

import java.nio.file.Path

/** What a scheduler cannot do is a FILE:LINE error before anything is written or submitted, asked of its capabilities. */
class SchedulerChecksSpec extends Specification {
    @TempDir
    Path dir

    String errorOf(String cluster, String body) {
        Path launcher = dir.resolve('mn.xm.groovy')
        launcher.toFile().text = "experiment('x') {\n  cluster '$cluster'\n$body\n}"
        def service = new LaunchService(new XmrunHome(dir.resolve('home'), dir.resolve('config')))
        try {
            service.renderOnly(service.prepare(launcher, 'mn.xm.groovy', [], null))
            'no error'
        } catch (UserError e) {
            e.message
        }
    }

    static final String GROUP = "  group('rl') {\n    job('learner') { command 'true' }\n    job('actor') {\n      command 'true'\n      resources { nodes 2 }\n    }\n  }"

    def 'on #cluster: #message'() {
        expect:
        errorOf(cluster, body) == message

        where:
        cluster | body || message
        'sge'   | "  job('a') {\n    command 'true'\n    resources { nodes 2 }\n  }" || "mn.xm.groovy:3: job 'a' asks for 2 nodes; the sge scheduler runs a work unit on one node (nodes 1): run it on Slurm"
        'local' | "  job('a') {\n    command 'true'\n    resources { nodes 2 }\n  }" || "mn.xm.groovy:3: job 'a' asks for 2 nodes; the local scheduler runs a work unit on one node (nodes 1): run it on Slurm"
        'sge'   | "  job('a') {\n    command 'true'\n    resources { nodes 2 }\n    launch ray()\n  }" || "mn.xm.groovy:3: job 'a' asks for 2 nodes for launch ray(); the sge scheduler runs a work unit on one node (nodes 1): run it on Slurm"
        'local' | "  job('a') {\n    command 'true'\n    resources { nodes 3 }\n    launch ray()\n  }" || "mn.xm.groovy:3: job 'a' asks for 3 nodes for launch ray(); the local scheduler runs a work unit on one node (nodes 1): run it on Slurm"
        'local' | "  job('a') {\n    command 'true'\n    launch srun()\n  }" || "mn.xm.groovy:5: job 'a': launch srun() starts the program as Slurm job steps, which the local scheduler does not have; drop it to run the program once"
        'sge'   | "  job('a') {\n    command 'true'\n    launch ray(symmetric: true)\n  }" || "mn.xm.groovy:5: job 'a': launch ray(symmetric: true) runs `ray symmetric-run` on every node through srun, which the sge scheduler does not have; use launch ray()"
        'sge'   | GROUP || "mn.xm.groovy:3: group 'rl': the sge scheduler cannot start jobs together (it has no co-scheduling); run them as separate jobs, or on Slurm"
        'local' | GROUP || "mn.xm.groovy:5: job 'actor' asks for 2 nodes; the local scheduler runs a work unit on one node (nodes 1): run it on Slurm"
        'slurm' | GROUP || 'no error'
        'local' | "  job('a') {\n    command 'true'\n    resources { tasksPerNode 2 }\n    launch ray()\n  }" || 'no error'
        'sge'   | "  job('a') {\n    command 'true'\n    launch torchrun(procsPerNode: 2)\n  }" || 'no error'
    }

    def 'xmrun exits 2 with the line when the scheduler cannot run the launcher'() {
        given:
        Path launcher = dir.resolve('rl.xm.groovy')
        launcher.toFile().text = "experiment('x') {\n  cluster 'sge'\n$GROUP\n}"

        when:
        def r = new XmrunProcess(dir.resolve('home')).run(['render', 'rl.xm.groovy', '-o', 'out'], dir)

        then:
        r.exitCode == 2
        r.err.trim() == "rl.xm.groovy:3: group 'rl': the sge scheduler cannot start jobs together (it has no co-scheduling); run them as separate jobs, or on Slurm"
        r.out == ''
    }
}
