package xmrun.transport.ssh;

import net.schmizz.sshj.userauth.method.ChallengeResponseProvider;
import net.schmizz.sshj.userauth.password.Resource;

import java.io.Console;
import java.util.List;

/**
 * Keyboard-interactive questions (password, one-time code) asked on the terminal, never echoed unless the
 * server says so (RFC 4256 section 3.2: each prompt carries its echo flag). Counts what it asked, so that a
 * refusal can name the question whose answer was wrong.
 */
final class TerminalPrompts implements ChallengeResponseProvider {
    /** ssh(1)'s NumberOfPasswordPrompts default: a mistyped code gets two more tries. */
    static final int TRIES = 3;

    private final String endpoint;
    private int asked;
    private int refusals;
    private String lastPrompt = "";
    private boolean cancelled;

    TerminalPrompts(String endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public List<String> getSubmethods() {
        return List.of();
    }

    @Override
    public void init(Resource resource, String name, String instruction) {
        Console console = System.console();
        if (console != null && !(name + instruction).isBlank()) {
            console.printf("%s%n", (name + " " + instruction).strip());
        }
    }

    @Override
    public char[] getResponse(String prompt, boolean echo) {
        if (cancelled) { // end of input at an earlier question of this round: nobody is there to ask
            return new char[0];
        }
        Console console = System.console();
        asked++;
        lastPrompt = prompt.strip();
        String shown = endpoint + ": " + lastPrompt + " ";
        char[] answer;
        if (echo) {
            String line = console.readLine("%s", shown);
            answer = line == null ? null : line.toCharArray();
        } else {
            answer = console.readPassword("%s", shown);
        }
        if (answer == null) { // end of input (Ctrl-D): send nothing that could count as an answer, and ask no more
            cancelled = true;
            return new char[0];
        }
        return answer;
    }

    /** Called when the server refused the answers and would take others. */
    @Override
    public boolean shouldRetry() {
        refusals++;
        if (cancelled || asked == 0 || refusals >= TRIES) {
            return false;
        }
        System.console().printf("%s: not accepted, try again (%d of %d)%n", endpoint, refusals + 1, TRIES);
        return true;
    }

    /** Questions asked, over all tries. */
    int asked() {
        return asked;
    }

    /** How often the server said no to what was typed. */
    int refusals() {
        return refusals;
    }

    String lastPrompt() {
        return lastPrompt;
    }

    boolean cancelled() {
        return cancelled;
    }
}
