package xmrun.cluster

/**
 * A real terminal: one detached session on a tmux server of its own (its own socket, so nothing of anyone
 * else's tmux is touched, and the environment is this JVM's), running one shell command.
 */
class TmuxTerminal implements Closeable {
    private final String socket = "xmrun-spec-${ProcessHandle.current().pid()}-${System.nanoTime()}"

    /** The command is followed by a long sleep: the session, and with it what it shows, stays until close(). */
    TmuxTerminal(String command) {
        tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '200', '-y', '50', "$command; sleep 600".toString())
    }

    /** Everything shown so far, scrollback included, with wrapped lines joined. */
    String screen() {
        tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'main')
    }

    /** Types the text and Enter, as a person would. */
    void type(String text) {
        tmux('send-keys', '-t', 'main', '-l', text)
        tmux('send-keys', '-t', 'main', 'Enter')
    }

    /** Types the text, without Enter (to press TAB after it). */
    void write(String text) {
        tmux('send-keys', '-t', 'main', '-l', text)
    }

    /** Presses a key, in tmux's names: 'C-d', 'Escape', ... */
    void key(String name) {
        tmux('send-keys', '-t', 'main', name)
    }

    @Override
    void close() {
        new ProcessBuilder('tmux', '-L', socket, 'kill-server').redirectErrorStream(true).start().waitFor()
    }

    private String tmux(String... args) {
        Process p = new ProcessBuilder(['tmux', '-L', socket] + args.toList()).redirectErrorStream(true).start()
        String out = p.inputStream.getText('UTF-8')
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tmux ${args.toList()} failed: $out")
        }
        out
    }
}
