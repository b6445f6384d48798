package xmrun.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A template a rendering loaded: its name, where it was found ({@code launcher (/x/templates)}, {@code pack g:a:v
 * (a-1.jar)}, {@code built-in}) and its text.
 */
public record TemplateUse(String name, String origin, String text) {
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
