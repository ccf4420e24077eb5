package dev.switchboard.engineio;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a request comes from a page of this server's own origin, by the headers every browser sends: {@code Origin}
 * (when present) must name the {@code Host} the request was sent to, and {@code Sec-Fetch-Site} (when present) must
 * be {@code same-origin} or {@code none}. A request with neither header is no browser page's (curl, a backend): no
 * cookie of a victim rides on it, so it is not cross-site. A Host without a port is compared by name only: nginx's
 * {@code proxy_set_header Host $host} (our shipped config) drops the port the browser used; a page of the same name
 * on another port is still refused by its {@code Sec-Fetch-Site: same-site}. One rule for the HTTP API and the
 * console; {@link HostCheck} is the other half (which Host values are ours).
 */
public final class SameOrigin {
    private SameOrigin() {
    }

    public static boolean allows(String origin, String host, String fetchSite) {
        return fetchSiteAllows(fetchSite) && (origin == null || originMatches(origin, host));
    }

    /** {@code Sec-Fetch-Site} absent (no browser, or an old one), {@code same-origin} or {@code none} (typed URL). */
    public static boolean fetchSiteAllows(String fetchSite) {
        return fetchSite == null || fetchSite.equals("same-origin") || fetchSite.equals("none");
    }

    /** Whether an {@code Origin} header names this Host: http(s) only, default ports as browsers leave them out. */
    public static boolean originMatches(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                return false; // "null" (sandboxed frames, file:), or anything else
            }
            String expected = withoutDefaultPort(host.trim().toLowerCase(Locale.ROOT), scheme);
            String name = uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (!hasPort(expected)) {
                return name.equals(expected);
            }
            return (port == -1 ? name : name + ":" + port).equals(expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasPort(String host) {
        int colon = host.lastIndexOf(':');
        return colon > host.lastIndexOf(']'); // [::1] alone has colons but no port
    }

    /** Browsers leave the default port out of Origin; some clients put it in Host. */
    private static String withoutDefaultPort(String host, String scheme) {
        String suffix = "http".equals(scheme) ? ":80" : ":443";
        return host.endsWith(suffix) ? host.substring(0, host.length() - suffix.length()) : host;
    }
}
