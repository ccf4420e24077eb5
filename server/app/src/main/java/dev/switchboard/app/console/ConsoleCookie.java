package dev.switchboard.app.console;

import java.time.Duration;
import java.util.List;

/**
 * The console's session cookie: {@code sb_console=<id>; Path=/; HttpOnly; SameSite=Strict} (+ {@code Secure} when the
 * page came over https). HttpOnly keeps it from page scripts, SameSite=Strict keeps other sites' pages from sending
 * it (CSRF); Path=/ because the API under /ui/api/ and the page share it.
 */
public final class ConsoleCookie {
    static final String NAME = "sb_console";

    private ConsoleCookie() {
    }

    /** The session id in {@code Cookie} headers, or null. */
    public static String sessionId(List<String> cookieHeaders) {
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                String trimmed = pair.trim();
                if (trimmed.startsWith(NAME + "=")) {
                    String value = trimmed.substring(NAME.length() + 1);
                    return value.isEmpty() ? null : value;
                }
            }
        }
        return null;
    }

    static String set(String id, Duration maxAge, boolean secure) {
        return NAME + "=" + id + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    static String clear(boolean secure) {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
