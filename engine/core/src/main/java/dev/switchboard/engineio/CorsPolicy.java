package dev.switchboard.engineio;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Origin allow-list for browser clients. "*": any origin. Empty list: no cross-origin browser client at all (a
 * safe default: a WebSocket is not subject to CORS, so without this check any web page could connect).
 * No Origin header (non-browser client) and same-origin requests are always allowed.
 */
final class CorsPolicy {
    private final boolean enabled;
    private final boolean anyOrigin;
    private final Set<String> origins;
    private final boolean credentials;

    CorsPolicy(List<String> origins, boolean credentials) {
        this.enabled = !origins.isEmpty();
        this.anyOrigin = origins.contains("*");
        this.origins = Set.copyOf(origins.stream().map(o -> stripSlash(o.toLowerCase(Locale.ROOT))).toList());
        this.credentials = credentials;
    }

    boolean allows(String origin, String host) {
        if (origin == null || anyOrigin) return true;
        String o = stripSlash(origin.toLowerCase(Locale.ROOT));
        if (origins.contains(o)) return true;
        int scheme = o.indexOf("://");
        return host != null && scheme > 0 && o.substring(scheme + 3).equals(host.toLowerCase(Locale.ROOT));
    }

    /**
     * Headers for an allowed request carrying this Origin, or null when CORS does not apply. With "*" the answer
     * is a literal {@code *} and never allows credentials, as Node's server answers: echoing any Origin with
     * credentials would let every web page make requests carrying the user's cookies and read the answers.
     */
    HttpHeaders responseHeaders(String origin) {
        if (!enabled || origin == null) return null;
        HttpHeaders h = new DefaultHttpHeaders();
        if (anyOrigin) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            return h;
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.set(HttpHeaderNames.VARY, "Origin");
        if (credentials) h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        return h;
    }

    /** Headers for an allowed preflight (OPTIONS). */
    HttpHeaders preflightHeaders(String origin, String requestedHeaders) {
        HttpHeaders h = responseHeaders(origin);
        if (h == null) h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,POST,OPTIONS");
        if (requestedHeaders != null) h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requestedHeaders);
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        return h;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
