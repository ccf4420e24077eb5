package dev.switchboard.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Redis scale-out configuration. {@code url} null means off (a single node, in-memory adapter).
 *
 * @param url               redis://[user:password@]host:port[/db] (rediss:// for TLS), or null when off
 * @param prefix            channel and key prefix; "socket.io" matches @socket.io/redis-adapter and -emitter
 * @param relayChannel      pub/sub channel whose JSON {namespace, room, event, data} messages are relayed, or null
 * @param heartbeatInterval how often a node refreshes its state in Redis; a dead node leaves the cluster
 *                          counts within {@link #nodeTtl()} (3 heartbeats)
 * @param requestTimeout    bound on Redis commands and connection attempts (cluster counts fail after it)
 */
public record RedisSettings(String url, String prefix, String relayChannel, Duration heartbeatInterval,
                            Duration requestTimeout) {

    public static final String DEFAULT_PREFIX = "socket.io";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    public RedisSettings {
        url = blankToNull(url);
        relayChannel = blankToNull(relayChannel);
        prefix = Objects.requireNonNullElse(blankToNull(prefix), DEFAULT_PREFIX);
        heartbeatInterval = Objects.requireNonNullElse(heartbeatInterval, DEFAULT_HEARTBEAT);
        requestTimeout = Objects.requireNonNullElse(requestTimeout, DEFAULT_REQUEST_TIMEOUT);
        if (url != null) {
            validateUrl(url);
        }
        if (prefix.indexOf('#') >= 0) {
            throw new IllegalArgumentException("REDIS_PREFIX must not contain '#' (it separates channel name parts): " + prefix);
        }
        if (heartbeatInterval.toMillis() < 50 || heartbeatInterval.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("REDIS_HEARTBEAT_MS must be between 50 ms and 5 minutes, got "
                    + heartbeatInterval.toMillis() + " ms");
        }
        if (requestTimeout.toMillis() < 10) {
            throw new IllegalArgumentException("Redis request timeout must be at least 10 ms");
        }
    }

    /** Off (no URL), prefix "socket.io", no relay, 5 s heartbeat, 2 s request timeout. */
    public static RedisSettings defaults() {
        return new RedisSettings(null, DEFAULT_PREFIX, null, DEFAULT_HEARTBEAT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * From environment variables: REDIS_URL (unset = off), REDIS_PREFIX, REDIS_RELAY_CHANNEL,
     * REDIS_HEARTBEAT_MS. Throws IllegalArgumentException naming the variable on a bad value.
     */
    public static RedisSettings fromEnvironment(Map<String, String> env) {
        Duration heartbeat = DEFAULT_HEARTBEAT;
        String hb = blankToNull(env.get("REDIS_HEARTBEAT_MS"));
        if (hb != null) {
            try {
                heartbeat = Duration.ofMillis(Long.parseLong(hb.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("REDIS_HEARTBEAT_MS must be a number of milliseconds, got '" + hb + "'");
            }
        }
        return new RedisSettings(env.get("REDIS_URL"), env.get("REDIS_PREFIX"), env.get("REDIS_RELAY_CHANNEL"),
                heartbeat, DEFAULT_REQUEST_TIMEOUT);
    }

    public boolean enabled() {
        return url != null;
    }

    /** How long a node's state lives in Redis without a heartbeat: 3 heartbeats. */
    public Duration nodeTtl() {
        return heartbeatInterval.multipliedBy(3);
    }

    public RedisSettings withUrl(String newUrl) {
        return new RedisSettings(newUrl, prefix, relayChannel, heartbeatInterval, requestTimeout);
    }

    public RedisSettings withPrefix(String newPrefix) {
        return new RedisSettings(url, newPrefix, relayChannel, heartbeatInterval, requestTimeout);
    }

    public RedisSettings withRelayChannel(String channel) {
        return new RedisSettings(url, prefix, channel, heartbeatInterval, requestTimeout);
    }

    public RedisSettings withHeartbeatInterval(Duration interval) {
        return new RedisSettings(url, prefix, relayChannel, interval, requestTimeout);
    }

    public RedisSettings withRequestTimeout(Duration timeout) {
        return new RedisSettings(url, prefix, relayChannel, heartbeatInterval, timeout);
    }

    /** The URL without its password, for logs. */
    public String redactedUrl() {
        if (url == null) {
            return "off";
        }
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    private static void validateUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("REDIS_URL is not a URL (expected redis://host:port)");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("redis") || scheme.equals("rediss"))) {
            throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss:// (got scheme " + scheme + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("REDIS_URL has no host (expected redis://host:port)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() { // never print the password
        return "RedisSettings[url=" + redactedUrl() + ", prefix=" + prefix + ", relayChannel=" + relayChannel
                + ", heartbeatInterval=" + heartbeatInterval + ", requestTimeout=" + requestTimeout + "]";
    }
}
