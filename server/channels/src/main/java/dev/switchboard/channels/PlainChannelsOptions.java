package dev.switchboard.channels;

import dev.switchboard.engineio.ProxyTrust;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the plain WebSocket endpoint.
 *
 * @param maxMessageBytes           larger client messages get PAYLOAD_TOO_LARGE (the engine's maxPayload still
 *                                  closes the connection, 1009, above its own limit)
 * @param ratePerSecond             token bucket refill per client; 0 disables rate limiting
 * @param rateBurst                 token bucket size
 * @param rateDisconnectAfterSeconds close a client dropped in this many consecutive seconds; 0 = never
 * @param maxConnections            plain connections in total; 0 = unlimited
 * @param maxConnectionsPerIp       plain connections per client address; 0 = unlimited
 * @param trustProxy                the peers (our reverse proxies) whose X-Forwarded-For gives the client address,
 *                                  as for Socket.IO; see {@link dev.switchboard.engineio.ClientAddress}
 * @param maxSubscriptions          channels one client may subscribe to
 * @param metricsInterval           period of the {@code metrics} channel snapshot
 */
public record PlainChannelsOptions(int maxMessageBytes, int ratePerSecond, int rateBurst, int rateDisconnectAfterSeconds,
                              int maxConnections, int maxConnectionsPerIp, ProxyTrust trustProxy, int maxSubscriptions,
                              Duration metricsInterval) {

    public PlainChannelsOptions {
        if (maxMessageBytes < 64) throw new IllegalArgumentException("maxMessageBytes must be >= 64");
        if (ratePerSecond < 0 || rateBurst < 1) throw new IllegalArgumentException("bad rate limit");
        if (maxConnections < 0 || maxConnectionsPerIp < 0) throw new IllegalArgumentException("bad connection limit");
        if (maxSubscriptions < 1) throw new IllegalArgumentException("maxSubscriptions must be >= 1");
        Objects.requireNonNull(metricsInterval, "metricsInterval");
        Objects.requireNonNull(trustProxy, "trustProxy");
        if (metricsInterval.toMillis() < 10) throw new IllegalArgumentException("metricsInterval must be >= 10 ms");
    }

    public static PlainChannelsOptions defaults() {
        return new PlainChannelsOptions(64 * 1024, 50, 100, 5, 10_000, 1000, ProxyTrust.NONE, 100, Duration.ofSeconds(5));
    }

    public PlainChannelsOptions withMaxMessageBytes(int bytes) {
        return new PlainChannelsOptions(bytes, ratePerSecond, rateBurst, rateDisconnectAfterSeconds, maxConnections,
                maxConnectionsPerIp, trustProxy, maxSubscriptions, metricsInterval);
    }

    public PlainChannelsOptions withRate(int perSecond, int burst, int disconnectAfterSeconds) {
        return new PlainChannelsOptions(maxMessageBytes, perSecond, burst, disconnectAfterSeconds, maxConnections,
                maxConnectionsPerIp, trustProxy, maxSubscriptions, metricsInterval);
    }

    public PlainChannelsOptions withConnections(int total, int perIp) {
        return new PlainChannelsOptions(maxMessageBytes, ratePerSecond, rateBurst, rateDisconnectAfterSeconds, total, perIp,
                trustProxy, maxSubscriptions, metricsInterval);
    }

    public PlainChannelsOptions withTrustProxy(ProxyTrust trust) {
        return new PlainChannelsOptions(maxMessageBytes, ratePerSecond, rateBurst, rateDisconnectAfterSeconds, maxConnections,
                maxConnectionsPerIp, trust, maxSubscriptions, metricsInterval);
    }

    public PlainChannelsOptions withMaxSubscriptions(int max) {
        return new PlainChannelsOptions(maxMessageBytes, ratePerSecond, rateBurst, rateDisconnectAfterSeconds, maxConnections,
                maxConnectionsPerIp, trustProxy, max, metricsInterval);
    }

    public PlainChannelsOptions withMetricsInterval(Duration interval) {
        return new PlainChannelsOptions(maxMessageBytes, ratePerSecond, rateBurst, rateDisconnectAfterSeconds, maxConnections,
                maxConnectionsPerIp, trustProxy, maxSubscriptions, interval);
    }
}
