package xmrun.ui;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The dashboard's one secret: a random token in the URL it prints. Anyone on this machine can connect to
 * 127.0.0.1, so every request must carry it: as {@code ?token=} (the first load, which sets a cookie and
 * redirects to the same page without it), as the cookie afterwards, or as the {@code X-Xmrun-Token} header.
 */
final class Token {
    static final String PARAM = "token";
    static final String HEADER = "X-Xmrun-Token";

    private final String value;
    private final String cookieName;

    Token(String value, int port) {
        this.value = value;
        // cookies are not told apart by port (RFC 6265 section 8.5): one name per dashboard keeps two apart
        this.cookieName = "xmrun-ui-" + port;
    }

    /** 32 random bytes (256 bits), URL-safe. */
    static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String value() {
        return value;
    }

    /** The cookie the first load sets: not readable from scripts, never sent with another site's requests. */
    String cookie() {
        return cookieName + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
    }

    boolean inQuery(HttpExchange ex) {
        return matches(queryValue(ex.getRequestURI().getRawQuery(), PARAM));
    }

    /** The token came with the request, in any of its three places. */
    boolean carriedBy(HttpExchange ex) {
        if (inQuery(ex) || matches(ex.getRequestHeaders().getFirst(HEADER))) {
            return true;
        }
        List<String> cookies = ex.getRequestHeaders().getOrDefault("Cookie", List.of());
        for (String header : cookies) {
            for (String c : header.split(";")) {
                String[] kv = c.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(cookieName) && matches(kv[1])) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Compared in constant time: how long a wrong guess takes tells nothing about the right one. */
    private boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    static String queryValue(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return kv.length == 2 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            }
        }
        return null;
    }
}
