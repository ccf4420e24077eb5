package dev.switchboard.emitapi;

import org.slf4j.Logger;

import dev.switchboard.engineio.HostCheck;
import org.slf4j.LoggerFactory;

/**
 * Refuses what a web page in the operator's browser could send to a server on this machine: a {@code Host} that is
 * not ours (DNS rebinding, {@link HostCheck}) and cross-site requests (a page on another origin posting a form or
 * {@code text/plain}): an {@code Origin} other than the server's own, or {@code Sec-Fetch-Site} other than
 * {@code same-origin} / {@code none}. Backends send neither header. A caller presenting the API's bearer token may
 * use any Host (a backend reaching a token-protected API by its IP address): a rebinding page cannot know it.
 */
public final class BrowserGuard {
    private static final Logger log = LoggerFactory.getLogger(BrowserGuard.class);

    private final HostCheck hosts;
    private final BearerAuth auth;
    private final SwitchboardMetrics metrics;

    public BrowserGuard(HostCheck hosts, BearerAuth auth, SwitchboardMetrics metrics) {
        this.hosts = hosts;
        this.auth = auth;
        this.metrics = metrics;
    }

    /** The refusal (403) for this request, or null when it may go on. */
    public ApiException refusal(String host, String origin, String secFetchSite, String authorization) {
        if (!hosts.allows(host) && !(auth.required() && auth.permits(authorization))) {
            return new ApiException(403, "HOST_NOT_ALLOWED", "Host '" + host
                    + "' is not allowed; use a loopback name or one listed in ALLOWED_HOSTS");
        }
        if (secFetchSite != null && !secFetchSite.equals("same-origin") && !secFetchSite.equals("none")) {
            return new ApiException(403, "CROSS_SITE_REQUEST", "cross-site request refused (Sec-Fetch-Site: "
                    + secFetchSite + ")");
        }
        if (origin != null && !sameOrigin(origin, host)) {
            return new ApiException(403, "CROSS_SITE_REQUEST", "cross-site request refused (Origin: " + origin + ")");
        }
        return null;
    }

    /** Logs and counts a refusal once. */
    public void refused(ApiException refusal, String method, String path, String ip) {
        String reason = refusal.code().equals("HOST_NOT_ALLOWED") ? "host_not_allowed" : "cross_site";
        metrics.refusal("api_" + reason);
        log.warn("api request refused reason={} method={} path={} ip={}", reason, method, path, ip);
    }

    /** {@code http://<Host>} or {@code https://<Host>}: a page served by this very server. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        int schemeEnd = origin.startsWith("http://") ? 7 : origin.startsWith("https://") ? 8 : -1;
        return schemeEnd > 0 && origin.length() - schemeEnd == host.length()
                && origin.regionMatches(true, schemeEnd, host, 0, host.length());
    }
}
