package xmrun.render

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError
import xmrun.XmrunProcess
import xmrun.app.LaunchService
import xmrun.app.XmrunHome

import java.nio.file.Files
import java.nio.file.Path

/** Runtimes are templates: which one a job gets, which ones exist, and what each refuses to lay out. */
class ContainerTemplatesSpec extends Specification {
    @TempDir
    Path dir

    Path launcher(String text) {
        Path f = dir.resolve('c.xm.groovy')
        f.toFile().text = text
        f
    }

    XmrunHome home() {
        Path config = dir.resolve('config/clusters.groovy')
        new XmrunHome(dir.resolve('home'), dir.resolve('config'), Files.exists(config) ? config : null)
    }

    /** Renders on the cluster named, with an optional cluster config; returns the job's script. */
    String render(String text, String job = 'a', String config = null) {
        if (config != null) {
            Files.createDirectories(dir.resolve('config'))
            dir.resolve('config/clusters.groovy').toFile().text = config
        }
        def service = new LaunchService(home())
        service.render(service.prepare(launcher(text), 'c.xm.groovy', [], null), dir.resolve('out'))
        Files.readString(dir.resolve("out/jobs/${job}.sh"))
    }

    def 'an unknown runtime stops the launch at the launcher\'s line, naming the runtimes there are, exit 2'() {
        given:
        Path f = launcher("experiment('x') {\n  job('a') {\n    command 'true'\n    container { image 'a.sif'; runtime 'podmn' }\n  }\n}")

        when:
        def r = new XmrunProcess(dir.resolve('home')).run('launch', '--dry-run', f.toString())

        then:
        r.exitCode == 2
        r.err == "$f:4: unknown container runtime 'podmn'; did you mean 'podman'? (known: apptainer, charliecloud, enroot, podman," +
                " singularity; a runtime is a template container/NAME.sh.peb)\n"
    }

    def 'a launcher that names no runtime gets the one for its image (#image: #runtime) where the cluster names none'() {
        expect:
        render("experiment('x') { job('a') { command 'true'; container '$image' } }").contains(start)

        where:
        image                   || runtime        | start
        'ghcr.io/lab/train:1.2' || 'podman'       | 'xm_container=(podman run '
        'images/train.sif'      || 'apptainer'    | 'xm_container=(apptainer exec '
        'images/train.sqsh'     || 'enroot'       | 'xm_container=(enroot start)'
        '/scratch/me/rootfs'    || 'charliecloud' | 'xm_container=(ch-run)'
    }

    def 'a launcher that names no runtime gets podman, or the one its cluster\'s config names'() {
        given:
        String config = """
            cluster('hpc') {
                scheduler 'slurm'
                container { runtime 'apptainer'; cache '/scratch/me/images' }
            }"""

        expect:
        render("experiment('x') { job('a') { command 'true'; container 'ghcr.io/lab/train:1.2' } }").contains('xm_container=(podman run ')
        render("experiment('x') { cluster 'hpc'; job('a') { command 'true'; container 'x.sif' } }", 'a', config)
                .contains('xm_container=(apptainer exec ')
        render("experiment('x') { cluster 'hpc'; job('a') { command 'true'; container { image 'x.sqsh'; runtime 'enroot' } } }", 'a', config)
                .contains('xm_container=(srun --ntasks=1 "${xm_srun_container[@]}")')
    }

    def 'a runtime the cluster\'s config names without a template is reported at the config\'s line'() {
        given:
        Files.createDirectories(dir.resolve('config'))
        dir.resolve('config/clusters.groovy').toFile().text = "cluster('hpc') {\n  scheduler 'slurm'\n  container { runtime 'shifter' }\n}\n"
        def service = new LaunchService(home())

        when:
        service.prepare(launcher("experiment('x') { cluster 'hpc'; job('a') { command 'true'; container 'x.sif' } }"), 'c.xm.groovy', [], null)

        then:
        UserError e = thrown()
        e.message.startsWith("${dir.resolve('config/clusters.groovy')}:1: unknown container runtime 'shifter' (known: apptainer,")
    }

    def 'a runtime of the launcher\'s own templates is as good as a built-in one'() {
        given:
        Files.createDirectories(dir.resolve('templates/container'))
        dir.resolve('templates/container/docker.sh.peb').toFile().text =
                'xm_container=(docker run --rm {{ container.image | shq }})\nxm_srun_container=()\nxm_step_container=("${xm_container[@]}")\n'

        when:
        String script = render("experiment('x') { job('a') { command 'echo', 'hi there'; container { image 'ubuntu:22.04'; runtime 'docker' } } }")

        then:
        script.contains('xm_container=(docker run --rm ubuntu:22.04)\n')
        script.contains('"${xm_container[@]}" "$@"\n')
    }

    def 'a runtime refuses what it cannot do, with the launcher\'s line: #what'() {
        when:
        render("experiment('x') {\n  cluster '$cluster'\n  job('a') {\n    command 'true'\n    container {\n      image '$image'\n      runtime '$runtime'\n      $extra\n    }\n  }\n}")

        then:
        UserError e = thrown()
        e.message == message

        where:
        what                                   | cluster | runtime        | image                   | extra                        || message
        'podman and an image file'             | 'local' | 'podman'       | 'train.sif'             | ''                           || "c.xm.groovy:5: podman runs images from its image store or a registry, not the file train.sif; load it first (podman load -i FILE) and name the image"
        'enroot start and a registry image'    | 'local' | 'enroot'       | 'ghcr.io/lab/train:1.2' | ''                           || "c.xm.groovy:5: enroot start runs image files: import ghcr.io/lab/train:1.2 first (enroot import -o IMAGE.sqsh docker://...) and name the .sqsh, or run on Slurm, where Pyxis pulls it"
        'charliecloud and a registry image'    | 'slurm' | 'charliecloud' | 'ghcr.io/lab/train:1.2' | ''                           || "c.xm.groovy:5: charliecloud runs image files and directories: pull ghcr.io/lab/train:1.2 first (ch-image pull, ch-convert) and name the image"
        'charliecloud and a writable image'    | 'slurm' | 'charliecloud' | 'train.sqsh'            | 'writable true'              || "c.xm.groovy:5: charliecloud (ch-run) cannot give a container a writable file system of its own; remove 'writable true'"
        'charliecloud and a read-only mount'   | 'slurm' | 'charliecloud' | 'train.sqsh'            | "mount '/d', '/d', ro: true" || "c.xm.groovy:8: charliecloud (ch-run) mounts read-write only; remove ro: true"
        'charliecloud and a path under /usr'   | 'slurm' | 'charliecloud' | 'train.sqsh'            | "mount '/usr/share/data'"    || "c.xm.groovy:8: charliecloud cannot show /usr/share/data at its own path: that would bind the host's /usr over the image's"
    }

    def 'a secret is named in the script, never given a value, and reaches the program in its container: #runtime'() {
        when:
        String script = render("experiment('x') {\n  cluster '$cluster'\n  secret 'HF_TOKEN'\n  job('a') {\n    command 'true'\n" +
                "    env WANDB_PROJECT: 'p'\n    container { image '$image'; runtime '$runtime' }\n  }\n}")

        then: 'the script checks that the value came with the job, exports it, and hands it on by name'
        script.contains('[[ -v HF_TOKEN ]] || { echo "xmrun: secret HF_TOKEN is not in this work unit\'s environment;')
        script.contains('export HF_TOKEN\n')
        !(script =~ /\bHF_TOKEN=/)
        script.contains(passes)

        where:
        runtime        | cluster | image                   || passes
        'podman'       | 'local' | 'ghcr.io/lab/train:1.2' || 'xm_podman+=(-e HF_TOKEN)'
        'apptainer'    | 'local' | 'train.sif'             || 'export APPTAINERENV_HF_TOKEN="$HF_TOKEN"'
        'singularity'  | 'local' | 'train.sif'             || 'export SINGULARITYENV_HF_TOKEN="$HF_TOKEN"'
        'enroot'       | 'slurm' | 'ghcr.io/lab/train:1.2' || 'xm_srun_container+=(--container-env=WANDB_PROJECT,HF_TOKEN)'
        'charliecloud' | 'slurm' | 'train.sqsh'            || 'xm_container=(ch-run' // ch-run hands the program the whole environment
    }

    def 'enroot start refuses a secret, which it would write into its runtime directory'() {
        when:
        render("experiment('x') {\n  job('a') {\n    command 'true'\n    secret 'HF_TOKEN'\n    container { image 'train.sqsh'; runtime 'enroot' }\n  }\n}")

        then:
        UserError e = thrown()
        e.message == "c.xm.groovy:5: enroot start writes every variable it passes into a file of its runtime directory, so it cannot pass" +
                " secret HF_TOKEN; run on Slurm, where Pyxis passes it, or use podman, apptainer or charliecloud"
    }
}
