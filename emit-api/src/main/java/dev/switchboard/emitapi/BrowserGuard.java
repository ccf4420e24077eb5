package dev.switchboard.emitapi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.HostCheck;
import dev.switchboard.engineio.SameOrigin;

/**
 * Refuses what a web page in the operator's browser could send to a server on this machine: a {@code Host} that is
 * not ours (DNS rebinding, {@link HostCheck}) and cross-site requests (a page on another origin posting a form or
 * {@code text/plain}): the {@link SameOrigin} rule, with a message naming the header that failed it. Backends send
 * neither header. A caller presenting the API's bearer token may use any Host (a backend reaching a token-protected
 * API by its IP address): a rebinding page cannot know it.
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
        if (!SameOrigin.fetchSiteAllows(secFetchSite)) {
            return new ApiException(403, "CROSS_SITE_REQUEST", "cross-site request refused (Sec-Fetch-Site: "
                    + secFetchSite + ")");
        }
        if (origin != null && !SameOrigin.originMatches(origin, host)) {
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
}
