package xmrun.transport.ssh;

import net.schmizz.sshj.userauth.method.ChallengeResponseProvider;
import net.schmizz.sshj.userauth.password.Resource;

import java.io.Console;
import java.util.List;

/** Keyboard-interactive prompts (password, one-time code) asked on the terminal, never echoed unless the server says so. */
final class TerminalPrompts implements ChallengeResponseProvider {
    private final String endpoint;
    private int rounds;

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
        Console console = System.console();
        String shown = endpoint + ": " + prompt.strip() + " ";
        return echo ? console.readLine("%s", shown).toCharArray() : console.readPassword("%s", shown);
    }

    /** A mistyped code gets two more tries, as ssh(1) gives. */
    @Override
    public boolean shouldRetry() {
        return ++rounds < 3;
    }
}
