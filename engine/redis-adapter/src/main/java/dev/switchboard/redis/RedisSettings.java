package dev.switchboard.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * @param adapter           classic pub/sub on one Redis (default), or sharded pub/sub on a Redis Cluster
 * @param subscriptionMode  sharded only: which rooms get their own channel (as Node's createShardedAdapter)
 */
public record RedisSettings(String url, String prefix, String relayChannel, Duration heartbeatInterval,
                            Duration requestTimeout, AdapterMode adapter, SubscriptionMode subscriptionMode) {

    /** REDIS_ADAPTER: classic PUBLISH/PSUBSCRIBE (redis-adapter's createAdapter) or sharded SPUBLISH/SSUBSCRIBE. */
    public enum AdapterMode {
        CLASSIC, SHARDED;

        static AdapterMode parse(String value) {
            return parseEnum(AdapterMode.class, "REDIS_ADAPTER", value, CLASSIC);
        }
    }

    /**
     * REDIS_SUBSCRIPTION_MODE (sharded only), as Node's createShardedAdapter: {@code static} = one channel per
     * namespace; {@code dynamic} = plus one channel per room with local members, socket-id rooms excepted;
     * {@code dynamic-private} = plus socket-id rooms too.
     */
    public enum SubscriptionMode {
        STATIC, DYNAMIC, DYNAMIC_PRIVATE;

        static SubscriptionMode parse(String value) {
            return parseEnum(SubscriptionMode.class, "REDIS_SUBSCRIPTION_MODE", value, DYNAMIC);
        }

        /** The spelling of the variable (and of Node's option): static, dynamic, dynamic-private. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final String DEFAULT_PREFIX = "socket.io";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** Classic adapter. */
    public RedisSettings(String url, String prefix, String relayChannel, Duration heartbeatInterval,
                         Duration requestTimeout) {
        this(url, prefix, relayChannel, heartbeatInterval, requestTimeout, AdapterMode.CLASSIC, SubscriptionMode.DYNAMIC);
    }

    public RedisSettings {
        adapter = Objects.requireNonNullElse(adapter, AdapterMode.CLASSIC);
        subscriptionMode = Objects.requireNonNullElse(subscriptionMode, SubscriptionMode.DYNAMIC);
        url = blankToNull(url);
        relayChannel = blankToNull(relayChannel);
        prefix = Objects.requireNonNullElse(blankToNull(prefix), DEFAULT_PREFIX);
        heartbeatInterval = Objects.requireNonNullElse(heartbeatInterval, DEFAULT_HEARTBEAT);
        requestTimeout = Objects.requireNonNullElse(requestTimeout, DEFAULT_REQUEST_TIMEOUT);
        if (url != null) {
            List<URI> nodes = nodeUris(url);
            if (nodes.size() > 1 && adapter == AdapterMode.CLASSIC) {
                throw new IllegalArgumentException("REDIS_URL lists " + nodes.size()
                        + " nodes: a seed list of a Redis Cluster needs REDIS_ADAPTER=sharded");
            }
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
     * REDIS_HEARTBEAT_MS, REDIS_ADAPTER, REDIS_SUBSCRIPTION_MODE. Throws IllegalArgumentException naming the
     * variable on a bad value.
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
                heartbeat, DEFAULT_REQUEST_TIMEOUT, AdapterMode.parse(env.get("REDIS_ADAPTER")),
                SubscriptionMode.parse(env.get("REDIS_SUBSCRIPTION_MODE")));
    }

    /** Parses an enum from its lower-case, dash-separated spelling; blank = fallback. */
    static <E extends Enum<E>> E parseEnum(Class<E> type, String variable, String value, E fallback) {
        String v = blankToNull(value);
        if (v == null) {
            return fallback;
        }
        List<String> words = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String word = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (word.equalsIgnoreCase(v)) {
                return e;
            }
            words.add(word);
        }
        throw new IllegalArgumentException(variable + " must be one of " + String.join("|", words) + ", got '" + v + "'");
    }

    public boolean sharded() {
        return adapter == AdapterMode.SHARDED;
    }

    /**
     * One URI per listed node: {@code redis://[user:pass@]h1:p1,h2:p2[/db]} is a Redis Cluster seed list (the
     * credentials and scheme apply to every node); a plain URL is one node.
     */
    public List<String> nodeUrls() {
        return nodeUris(url).stream().map(URI::toString).toList();
    }

    public boolean enabled() {
        return url != null;
    }

    /** How long a node's state lives in Redis without a heartbeat: 3 heartbeats. */
    public Duration nodeTtl() {
        return heartbeatInterval.multipliedBy(3);
    }

    public RedisSettings withUrl(String newUrl) {
        return new RedisSettings(newUrl, prefix, relayChannel, heartbeatInterval, requestTimeout, adapter, subscriptionMode);
    }

    public RedisSettings withPrefix(String newPrefix) {
        return new RedisSettings(url, newPrefix, relayChannel, heartbeatInterval, requestTimeout, adapter, subscriptionMode);
    }

    public RedisSettings withRelayChannel(String channel) {
        return new RedisSettings(url, prefix, channel, heartbeatInterval, requestTimeout, adapter, subscriptionMode);
    }

    public RedisSettings withHeartbeatInterval(Duration interval) {
        return new RedisSettings(url, prefix, relayChannel, interval, requestTimeout, adapter, subscriptionMode);
    }

    public RedisSettings withRequestTimeout(Duration timeout) {
        return new RedisSettings(url, prefix, relayChannel, heartbeatInterval, timeout, adapter, subscriptionMode);
    }

    public RedisSettings withAdapter(AdapterMode mode, SubscriptionMode subscriptions) {
        return new RedisSettings(url, prefix, relayChannel, heartbeatInterval, requestTimeout, mode, subscriptions);
    }

    /** The URL without its password, for logs (every node of a seed list). */
    public String redactedUrl() {
        if (url == null) {
            return "off";
        }
        StringBuilder out = new StringBuilder();
        for (URI uri : nodeUris(url)) {
            out.append(out.length() == 0 ? uri.getScheme() + "://" : ",")
                    .append(uri.getHost()).append(':').append(uri.getPort() < 0 ? 6379 : uri.getPort());
        }
        return out.toString();
    }

    private static List<URI> nodeUris(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("REDIS_URL is not a URL (expected redis://host:port)");
        }
        String scheme = url.substring(0, schemeEnd);
        if (!(scheme.equals("redis") || scheme.equals("rediss"))) {
            throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss:// (got scheme " + scheme + ")");
        }
        String rest = url.substring(schemeEnd + 3);
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? "" : rest.substring(0, at + 1);
        String hostsAndPath = rest.substring(at + 1);
        int slash = hostsAndPath.indexOf('/');
        String hosts = slash < 0 ? hostsAndPath : hostsAndPath.substring(0, slash);
        String path = slash < 0 ? "" : hostsAndPath.substring(slash);
        List<URI> uris = new ArrayList<>();
        for (String host : hosts.split(",", -1)) {
            URI uri;
            try {
                uri = URI.create(scheme + "://" + userInfo + host.trim() + path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("REDIS_URL is not a URL (expected redis://host:port[,host:port...])");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("REDIS_URL has no host (expected redis://host:port)");
            }
            uris.add(uri);
        }
        return uris;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() { // never print the password
        return "RedisSettings[url=" + redactedUrl() + ", prefix=" + prefix + ", relayChannel=" + relayChannel
                + ", heartbeatInterval=" + heartbeatInterval + ", requestTimeout=" + requestTimeout + ", adapter=" + adapter
                + ", subscriptionMode=" + subscriptionMode + "]";
    }
}
