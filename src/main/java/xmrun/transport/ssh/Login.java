package xmrun.transport.ssh;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.Service;
import net.schmizz.sshj.userauth.UserAuth;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthKeyboardInteractive;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import xmrun.Failure;
import xmrun.FaultKind;
import xmrun.config.SshEndpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs in on an open connection as ssh(1) does: the agent's keys, then the key files, then, on a terminal,
 * keyboard-interactive, which is how clusters ask for a password or a one-time code.
 *
 * <p>A server that wants two factors ({@code AuthenticationMethods publickey,keyboard-interactive} in
 * sshd_config(5)) answers an accepted key with a failure that has "partial success" set and lists what is
 * left (RFC 4252 section 5.1). Methods the server no longer lists are skipped, as ssh(1) skips them: more
 * keys would only count against its MaxAuthTries. A refusal says which step failed.
 */
final class Login {
    private static final String KEYBOARD_INTERACTIVE = "keyboard-interactive";
    private static final String LOCKED = "the key %s is encrypted and there is no terminal to ask for its passphrase";

    private Login() {
    }

    static void authenticate(SSHClient c, SshEndpoint e) throws IOException {
        List<AuthMethod> methods = new ArrayList<>();
        SshAgent agent = SshAgent.fromEnvironment();
        if (agent != null) { // the agent's keys first, as ssh(1) tries them: no passphrase to ask for
            for (SshAgent.Identity id : agent.identities()) {
                methods.add(new AuthAgent(agent, id));
            }
        }
        List<Path> missing = new ArrayList<>();
        List<Path> locked = new ArrayList<>();
        for (Path id : e.identities()) {
            if (!Files.isRegularFile(id)) {
                missing.add(id); // like ssh(1): a missing key file is no reason not to try the others
                continue;
            }
            KeyProvider key = KeyFiles.unlock(c, id);
            if (key == null) {
                locked.add(id);
            } else {
                methods.add(new AuthPublickey(key));
            }
        }
        TerminalPrompts prompts = System.console() == null ? null : new TerminalPrompts(e.toString());
        if (prompts != null) {
            methods.add(new AuthKeyboardInteractive(prompts));
        }
        if (methods.isEmpty() && !locked.isEmpty()) {
            throw new Failure(LOCKED.formatted(locked.get(0)) + ": run xmrun on a terminal, or add the key to ssh-agent (ssh-add "
                    + locked.get(0) + ")");
        }
        if (methods.isEmpty()) {
            throw new Failure("no SSH key for " + e + (missing.isEmpty() ? "" : " (" + missing.get(0) + " does not exist)")
                    + ": name one with identity '~/.ssh/id_ed25519' in the cluster's ssh { } block, or add one to ssh-agent (ssh-add)");
        }
        UserAuth auth = c.getUserAuth();
        boolean tried = false;
        for (AuthMethod m : methods) {
            if (tried && !allowed(auth).contains(m.getName())) {
                continue;
            }
            tried = true;
            m.setLoggerFactory(c.getTransport().getConfig().getLoggerFactory());
            // sshj asks keyboard-interactive questions on its reader thread, but by default waits for the answers
            // only as long as the transport timeout (30 s): too short for someone reading a code off a token, and
            // the late answer then met an abandoned login. Like ssh(1), wait for the person; a server that gave
            // up meanwhile (its LoginGraceTime) is noticed when the answer is sent.
            int timeoutMs = m instanceof AuthKeyboardInteractive ? 0 : c.getTransport().getTimeoutMs();
            try {
                if (auth.authenticate(e.user(), (Service) c.getConnection(), m, timeoutMs)) {
                    return;
                }
            } catch (UserAuthException ex) {
                if (!c.isConnected()) {
                    throw ex; // the server hung up (its LoginGraceTime, say): a connection problem, not a refusal
                }
                // this method could not even be tried (a key the agent will not sign with): go on with the next
            }
        }
        String notTried = locked.isEmpty() ? "" : "; not tried: " + LOCKED.formatted(locked.get(0));
        throw new Failure("login refused: " + refusal(e, auth, prompts) + notTried, FaultKind.AUTH_REFUSED, null);
    }

    private static List<String> allowed(UserAuth auth) {
        List<String> names = new ArrayList<>();
        auth.getAllowedMethods().forEach(names::add);
        return names;
    }

    /** What went wrong, in the terms of the step that failed: the key, the typed answers, or no terminal to type on. */
    static String refusal(SshEndpoint e, UserAuth auth, TerminalPrompts prompts) {
        List<String> left = allowed(auth);
        String after = auth.hadPartialSuccess() ? e + " accepted the key, then " : e + " ";
        if (prompts != null && prompts.cancelled()) {
            return after + "asked \"" + prompts.lastPrompt() + "\" and got no answer (end of input)";
        }
        if (prompts != null && prompts.asked() > 0) {
            int n = Math.max(1, prompts.refusals());
            return after + "refused what was typed at \"" + prompts.lastPrompt() + "\" (" + n + (n == 1 ? " try)" : " tries)");
        }
        if (left.contains(KEYBOARD_INTERACTIVE) && prompts == null && (auth.hadPartialSuccess() || left.size() == 1)) {
            return after + (auth.hadPartialSuccess() ? "also " : "") + "wants keyboard-interactive login (a one-time code or a password), "
                    + "and there is no terminal to ask on: run xmrun on a terminal (Java sees one only when both input and output are on it)";
        }
        if (auth.hadPartialSuccess()) {
            return after + "wants " + String.join(" or ", left) + " as well, which xmrun cannot do";
        }
        return "the server refused " + (e.identities().isEmpty() ? "the login" : "the key" + (e.identities().size() > 1 ? "s " : " ")
                + e.identities()) + " for " + e + (left.isEmpty() ? "" : " (it takes: " + String.join(", ", left) + ")");
    }
}
