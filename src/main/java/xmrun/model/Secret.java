package xmrun.model;

import java.util.regex.Pattern;

/**
 * A variable the program gets from xmrun's own environment at submission ({@code secret 'WANDB_API_KEY'}): only its
 * name is written anywhere (scripts, the store); the value travels in the environment of the command that submits.
 *
 * @param declaredAt where the launcher names it: a value missing from the environment is reported there
 */
public record Secret(String name, SourceRef declaredAt) {
    /** Names that say "credential": an {@code env} value under such a name is probably one (a *_TOKEN, *_KEY, *PASSWORD*). */
    private static final Pattern CREDENTIAL = Pattern.compile("(?i).*_TOKEN|.*_KEY|.*PASSWORD.*");

    public static boolean looksLikeCredential(String envName) {
        return CREDENTIAL.matcher(envName).matches();
    }
}
