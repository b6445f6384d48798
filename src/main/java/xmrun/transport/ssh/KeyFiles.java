package xmrun.transport.ssh;

import com.hierynomus.sshj.common.KeyDecryptionFailedException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import xmrun.Failure;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Private key files, decrypted before the login starts. Left to itself, sshj reads an encrypted key's
 * passphrase only once the server has accepted the public key, on its packet-reader thread, while the login
 * waits the transport timeout (30 s): a slower typist's login then failed, and a key that could not be
 * decrypted stopped the connection with a stack trace.
 */
final class KeyFiles {
    private KeyFiles() {
    }

    /** The key, ready to sign; null when it is encrypted and there is no terminal to ask for its passphrase. */
    static KeyProvider unlock(SSHClient c, Path file) {
        Passphrase passphrase = new Passphrase(file);
        try {
            KeyProvider key = c.loadKeys(file.toString(), passphrase);
            key.getPrivate(); // decrypts now, on this thread, and keeps the result for signing
            return key;
        } catch (NoTerminal e) {
            return null;
        } catch (KeyDecryptionFailedException e) {
            throw new Failure("wrong passphrase for the key " + file + " (" + passphrase.asked + (passphrase.asked == 1 ? " try)" : " tries)"));
        } catch (IOException e) {
            throw new Failure("cannot read the key " + file + ": " + e.getMessage());
        }
    }

    private static final class NoTerminal extends RuntimeException {
        NoTerminal() {
            super(null, null, false, false);
        }
    }

    /** Asks on the terminal, as ssh(1) does: up to 3 times. */
    private static final class Passphrase implements PasswordFinder {
        private final Path file;
        private int asked;

        Passphrase(Path file) {
            this.file = file;
        }

        @Override
        public char[] reqPassword(Resource<?> resource) {
            Console console = System.console();
            if (console == null) {
                throw new NoTerminal();
            }
            asked++;
            char[] typed = console.readPassword("Passphrase for %s: ", file);
            if (typed == null) { // end of input (Ctrl-D)
                throw new Failure("no passphrase typed for the key " + file);
            }
            return typed;
        }

        @Override
        public boolean shouldRetry(Resource<?> resource) {
            return asked < 3;
        }
    }
}
