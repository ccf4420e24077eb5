package dev.switchboard.app.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What keeps browsers and slow callers off the HTTP API (and off POST /emit on the public port).
 *
 * @param allowedHosts        Host names answered besides the loopback names: ALLOWED_HOSTS, VPS_IP, and the bind
 *                            addresses HOST / API_HOST when they are specific (not a wildcard, not loopback)
 * @param requestTimeout      API_REQUEST_TIMEOUT_MS: time to read and answer one API request; 0 = unbounded
 * @param maxConnectionsPerIp API_MAX_CONNECTIONS_PER_IP: open API connections per client address; 0 = unlimited
 */
public record ApiProtection(List<String> allowedHosts, Duration requestTimeout, int maxConnectionsPerIp) {
    private static final String HOST_NAME = "[0-9A-Za-z.-]+|\\[?[0-9A-Fa-f:.]+\\]?";

    public ApiProtection {
        allowedHosts = List.copyOf(allowedHosts);
    }

    static ApiProtection parse(ConfigParser p, String host, String apiHost) {
        Set<String> names = new LinkedHashSet<>();
        List<String> configured = p.list("ALLOWED_HOSTS");
        if (configured != null) {
            for (String name : configured) {
                if (!name.matches(HOST_NAME)) {
                    throw new ConfigException("ALLOWED_HOSTS", "'" + name
                            + "' is not a host name or IP address (no scheme, no port)");
                }
                names.add(name);
            }
        }
        String vpsIp = p.optional("VPS_IP");
        if (vpsIp != null) {
            names.add(vpsIp);
        }
        for (String bind : List.of(host, apiHost)) {
            if (!isWildcard(bind) && !ConfigParser.isLoopback(bind)) {
                names.add(bind);
            }
        }
        Duration timeout = p.millis("API_REQUEST_TIMEOUT_MS", 10_000, 0);
        if (!timeout.isZero() && timeout.toMillis() < 100) {
            throw new ConfigException("API_REQUEST_TIMEOUT_MS", "must be 0 (unbounded) or at least 100 ms, got "
                    + timeout.toMillis());
        }
        int perIp = p.intInRange("API_MAX_CONNECTIONS_PER_IP", 256, 0, 1_000_000);
        return new ApiProtection(List.copyOf(names), timeout, perIp);
    }

    private static boolean isWildcard(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") || bind.equals("0:0:0:0:0:0:0:0");
    }
}
