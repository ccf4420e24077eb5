package dev.switchboard.app.config;

import java.time.Duration;
import java.util.List;

/**
 * What keeps browsers and slow callers off the HTTP API (and off POST /emit on the public port).
 *
 * @param allowedHosts        Host names answered besides the loopback names ({@link AllowedHosts})
 * @param requestTimeout      API_REQUEST_TIMEOUT_MS: time to read and answer one API request; 0 = unbounded
 * @param maxConnectionsPerIp API_MAX_CONNECTIONS_PER_IP: open API connections per client address; 0 = unlimited
 */
public record ApiProtection(List<String> allowedHosts, Duration requestTimeout, int maxConnectionsPerIp) {
    public ApiProtection {
        allowedHosts = List.copyOf(allowedHosts);
    }

    static ApiProtection parse(ConfigParser p, AllowedHosts hosts) {
        Duration timeout = p.millis("API_REQUEST_TIMEOUT_MS", 10_000, 0);
        if (!timeout.isZero() && timeout.toMillis() < 100) {
            throw new ConfigException("API_REQUEST_TIMEOUT_MS", "must be 0 (unbounded) or at least 100 ms, got "
                    + timeout.toMillis());
        }
        int perIp = p.intInRange("API_MAX_CONNECTIONS_PER_IP", 256, 0, 1_000_000);
        return new ApiProtection(hosts.names(), timeout, perIp);
    }
}
