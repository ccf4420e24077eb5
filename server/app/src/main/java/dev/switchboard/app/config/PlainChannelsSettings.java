package dev.switchboard.app.config;

import dev.switchboard.channels.AgentSessions;
import dev.switchboard.channels.ChannelCatalog;
import dev.switchboard.channels.PlainChannelsOptions;
import dev.switchboard.channels.postgres.PgBridgeRoute;
import dev.switchboard.engineio.ProxyTrust;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The plain WebSocket channels (WS_CHANNELS_*) and the PostgreSQL bridge (PG_URL, PG_BRIDGE). Rate limit and
 * per-IP connection limit are the Socket.IO side's (RATE_LIMIT_*, MAX_CONNECTIONS_PER_IP). Naming: this app-side
 * section of the configuration is a *Settings, as the other sections; what it hands to the channels library is
 * that library's {@link PlainChannelsOptions}.
 *
 * @param pgUrl    null: no bridge
 * @param pgRoutes empty when pgUrl is null
 */
public record PlainChannelsSettings(boolean enabled, String path, ChannelCatalog catalog, PlainChannelsOptions options,
                               String pgUrl, List<PgBridgeRoute> pgRoutes, AgentSessions agentSessions,
                               List<String> publicChannels) {

    static PlainChannelsSettings parse(ConfigParser p, int maxPayload, RateLimitSettings rate, int maxPerIp,
                                  ProxyTrust trustProxy) {
        boolean enabled = p.bool("WS_CHANNELS_ENABLED", true);
        String path = p.string("WS_CHANNELS_PATH", "/ws");
        if (!path.startsWith("/") || path.startsWith("/socket.io")) {
            throw new ConfigException("WS_CHANNELS_PATH", "must start with '/' and not be the Socket.IO path, got '" + path + "'");
        }
        ChannelCatalog catalog;
        try {
            catalog = ChannelCatalog.parse(p.string("WS_CHANNELS", ChannelCatalog.DEFAULT_SPEC));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("WS_CHANNELS", e.getMessage());
        }
        // channels anyone may subscribe to; every other mapped channel is as open as its namespace and room
        List<String> publicChannels = p.list("WS_PUBLIC_CHANNELS");
        if (publicChannels == null) {
            publicChannels = List.of();
        }
        for (String glob : publicChannels) {
            if (glob.isEmpty() || glob.length() > 256) {
                throw new ConfigException("WS_PUBLIC_CHANNELS", "a channel pattern must be 1 to 256 characters");
            }
        }
        int maxMessage = p.intInRange("WS_MAX_MESSAGE_BYTES", Math.min(65_536, maxPayload), 64, maxPayload);
        int maxConnections = p.intInRange("WS_MAX_CONNECTIONS", 10_000, 0, 10_000_000);
        int maxSubscriptions = p.intInRange("WS_MAX_SUBSCRIPTIONS", 100, 1, 100_000);
        Duration metrics = p.millis("WS_METRICS_INTERVAL_MS", 5_000, 100);
        PlainChannelsOptions options = new PlainChannelsOptions(maxMessage, rate.eventsPerSecond(), rate.burst(),
                rate.disconnectAfterSeconds(), maxConnections, maxPerIp, trustProxy, maxSubscriptions, metrics);

        // agent_id + session_id pairs are refused unless the backend mints session ids with this secret
        String sessionSecret = p.optional("WS_SESSION_SECRET");
        if (sessionSecret != null && sessionSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new ConfigException("WS_SESSION_SECRET", "must be at least 32 bytes");
        }
        AgentSessions sessions = sessionSecret == null ? null : new AgentSessions(sessionSecret.getBytes(StandardCharsets.UTF_8));

        String pgUrl = p.optional("PG_URL");
        String bridge = p.optional("PG_BRIDGE");
        if (pgUrl == null && bridge != null) throw new ConfigException("PG_URL", "is required when PG_BRIDGE is set");
        if (pgUrl != null && bridge == null) {
            throw new ConfigException("PG_BRIDGE", "is required when PG_URL is set (pgchannel:namespace:room:event,...)");
        }
        List<PgBridgeRoute> routes = List.of();
        if (pgUrl != null) {
            if (!pgUrl.startsWith("jdbc:postgresql://") && !pgUrl.startsWith("postgresql://") && !pgUrl.startsWith("postgres://")) {
                throw new ConfigException("PG_URL", "must start with jdbc:postgresql://, postgresql:// or postgres://");
            }
            try {
                routes = PgBridgeRoute.parse(bridge);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("PG_BRIDGE", e.getMessage());
            }
        }
        return new PlainChannelsSettings(enabled, path, catalog, options, pgUrl, routes, sessions, List.copyOf(publicChannels));
    }

    @Override
    public String toString() {
        return "channels=" + (enabled ? path : "off") + " agentSessions=" + (agentSessions == null ? "refused" : "hmac")
                + " publicChannels=" + publicChannels + " pgBridge=" + (pgUrl == null ? "off" : pgRoutes);
    }
}
