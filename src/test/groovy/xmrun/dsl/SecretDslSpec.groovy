package xmrun.dsl

import spock.lang.Specification
import spock.lang.TempDir
import xmrun.UserError
import xmrun.model.Experiment
import xmrun.model.Secret
import xmrun.model.SourceRef

import java.nio.file.Path

class SecretDslSpec extends Specification {
    @TempDir
    Path dir

    Experiment load(String text) {
        Path file = dir.resolve('s.xm.groovy')
        file.toFile().text = text
        LauncherLoader.load(file, 's.xm.groovy')
    }

    String errorOf(String text) {
        try {
            load(text)
            'no error'
        } catch (UserError e) {
            e.message
        }
    }

    def "the experiment's secrets reach every job, before the job's own, each named once with its line"() {
        when:
        Experiment e = load('''experiment('x') {
            secret 'WANDB_API_KEY', 'HF_TOKEN'
            job('train') {
                command 'true'
                secret 'HF_TOKEN', 'AWS_SECRET_ACCESS_KEY'
            }
            group('rl') {
                job('learner') { command 'true' }
                job('actor') { command 'true'; secret 'ACTOR_KEY' }
            }
        }''')

        then:
        e.job('train').secrets() == [new Secret('WANDB_API_KEY', new SourceRef('s.xm.groovy', 2)), new Secret('HF_TOKEN', new SourceRef('s.xm.groovy', 2)),
                                     new Secret('AWS_SECRET_ACCESS_KEY', new SourceRef('s.xm.groovy', 5))]
        e.job('learner').secretNames() == ['WANDB_API_KEY', 'HF_TOKEN']
        e.job('actor').secretNames() == ['WANDB_API_KEY', 'HF_TOKEN', 'ACTOR_KEY']
        e.job('train').env() == [:]
    }

    def 'a secret that cannot be one is reported at its line: #message'() {
        expect:
        errorOf(launcher) == message

        where:
        launcher                                                                                       || message
        "experiment('x') {\n  job('a') {\n    command 'true'\n    secret 'MY-KEY'\n  }\n}"              || "s.xm.groovy:4: env name 'MY-KEY' is not a valid variable name (letters, digits and '_', not starting with a digit)"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    secret 'XM_TOKEN'\n  }\n}"            || "s.xm.groovy:4: env name 'XM_TOKEN' is reserved: xmrun sets XM_* variables itself"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    secret 'K', 'K'\n  }\n}"              || "s.xm.groovy:4: secret 'K' is already named in job('a') { }"
        "experiment('x') {\n  secret\n  job('a') { command 'true' }\n}"                                || "s.xm.groovy:2: 'secret' in experiment('x') { } needs a value, like secret ..."
        "experiment('x') {\n  job('a') {\n    command 'true'\n    env K: 'v'\n    secret 'K'\n  }\n}"    || "s.xm.groovy:5: 'K' of job 'a' is a secret and also gets a value from the launcher (env); keep one"
        "experiment('x') {\n  secret 'K'\n  job('a') {\n    command 'true'\n    sweep { env { K 'a', 'b' } }\n  }\n}" || "s.xm.groovy:2: 'K' of job 'a' is a secret and also gets a value from the launcher (an env axis of its sweep); keep one"
        "experiment('x') {\n  job('a') {\n    command 'true'\n    secret 5\n  }\n}"                      || "s.xm.groovy:4: 'secret' in job('a') { } cannot take (Integer)"
    }

    def 'names that say credential are recognised: #name'() {
        expect:
        Secret.looksLikeCredential(name) == credential

        where:
        name                 || credential
        'HF_TOKEN'           || true
        'WANDB_API_KEY'      || true
        'DB_PASSWORD'        || true
        'PASSWORD_FILE'      || true
        'hf_token'           || true
        'WANDB_PROJECT'      || false
        'TOKENIZERS_PARALLELISM' || false
        'KEYBOARD'           || false
    }
}
