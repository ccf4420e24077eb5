package dev.switchboard.app.console;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a request comes from a page of this server's own origin, by the headers every browser sends: {@code Origin}
 * (when present) must name the {@code Host} the request was sent to, and {@code Sec-Fetch-Site} (when present) must
 * be {@code same-origin} or {@code none}. A request with neither header is no browser page's (curl, a backend): no
 * cookie of a victim rides on it, so it is not cross-site.
 */
public final class SameOrigin {
    private SameOrigin() {
    }

    public static boolean allows(String origin, String host, String fetchSite) {
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return false;
        }
        if (origin == null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                return false; // "null" (sandboxed frames, file:), or anything else
            }
            int port = uri.getPort();
            String authority = uri.getHost() + (port == -1 ? "" : ":" + port);
            return authority.toLowerCase(Locale.ROOT).equals(withoutDefaultPort(host.trim().toLowerCase(Locale.ROOT), scheme));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Browsers leave the default port out of Origin; some clients put it in Host. */
    private static String withoutDefaultPort(String host, String scheme) {
        String suffix = "http".equals(scheme) ? ":80" : ":443";
        return host.endsWith(suffix) ? host.substring(0, host.length() - suffix.length()) : host;
    }
}
