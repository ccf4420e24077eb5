package dev.switchboard.engineio;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Engine.IO server settings. Immutable; build with {@link #builder()}, whose fields hold the defaults (Node's
 * engine.io server's where it has the setting) and whose setters refuse a bad value with a message naming it.
 */
public record EngineIoOptions(
        String host, int port, Duration pingInterval, Duration pingTimeout, Duration upgradeTimeout, int maxPayload,
        Set<String> transports, boolean allowEio3, List<String> corsOrigins, boolean corsCredentials,
        boolean perMessageDeflate, int maxInflatedMessage, long outboundSoftLimit, long outboundHardLimit,
        int ioThreads, int maxSessions, int maxSessionsPerAddress, int handshakesPerSecond, int handshakeBurst,
        int maxConnections, int maxConnectionsPerAddress, Duration requestHeadTimeout, ProxyTrust trustProxy,
        HostCheck hostCheck, Set<String> handshakeHeaders, int maxHandshakeBytes, Consumer<String> refusalListener,
        int maxQueuedInboundPackets, long maxQueuedInboundBytes, int memoryShedPercent) {
    /**
     * The handshake headers a session keeps by default: those read by the Socket.IO layer, the app's handlers
     * (authorization, client address) and the Admin UI. Everything else of the handshake request is dropped.
     */
    public static final Set<String> DEFAULT_HANDSHAKE_HEADERS = Set.of("host", "origin", "user-agent", "referer",
            "authorization", "x-forwarded-for", "x-real-ip", "cf-connecting-ip", "accept-language");

    public EngineIoOptions {
        transports = Set.copyOf(transports);
        corsOrigins = List.copyOf(corsOrigins);
        handshakeHeaders = Set.copyOf(handshakeHeaders);
        Objects.requireNonNull(trustProxy, "trustProxy");
        if (outboundHardLimit < outboundSoftLimit) {
            throw new IllegalArgumentException("outboundHardLimit < outboundSoftLimit");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this instance's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 3000;
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pingTimeout = Duration.ofSeconds(20);
        private Duration upgradeTimeout = Duration.ofSeconds(10);
        private int maxPayload = 1_000_000;
        private Set<String> transports = new LinkedHashSet<>(List.of("polling", "websocket"));
        private boolean allowEio3 = false;
        private List<String> corsOrigins = List.of();
        private boolean corsCredentials = false;
        private boolean perMessageDeflate = false;
        private int maxInflatedMessage = 1_000_000;
        private long outboundSoftLimit = 1 << 20;
        private long outboundHardLimit = 8 << 20;
        private int maxQueuedInboundPackets = 10_000;
        private long maxQueuedInboundBytes = 32L << 20; // as the Socket.IO layer's pending inbound bytes
        private int memoryShedPercent = 80;
        private int ioThreads = 0;
        private int maxSessions = 0;
        private int maxSessionsPerAddress = 0;
        private int handshakesPerSecond = 0;
        private int handshakeBurst = 1;
        private int maxConnections = 0;
        private int maxConnectionsPerAddress = 0;
        private Duration requestHeadTimeout = Duration.ofSeconds(10);
        private ProxyTrust trustProxy = ProxyTrust.NONE;
        private HostCheck hostCheck = HostCheck.ANY;
        private Set<String> handshakeHeaders = DEFAULT_HANDSHAKE_HEADERS;
        private int maxHandshakeBytes = 8192;
        private Consumer<String> refusalListener = reason -> { };

        private Builder() {
        }

        private Builder(EngineIoOptions o) {
            this.host = o.host;
            this.port = o.port;
            this.pingInterval = o.pingInterval;
            this.pingTimeout = o.pingTimeout;
            this.upgradeTimeout = o.upgradeTimeout;
            this.maxPayload = o.maxPayload;
            this.transports = o.transports;
            this.allowEio3 = o.allowEio3;
            this.corsOrigins = o.corsOrigins;
            this.corsCredentials = o.corsCredentials;
            this.perMessageDeflate = o.perMessageDeflate;
            this.maxInflatedMessage = o.maxInflatedMessage;
            this.outboundSoftLimit = o.outboundSoftLimit;
            this.outboundHardLimit = o.outboundHardLimit;
            this.maxQueuedInboundPackets = o.maxQueuedInboundPackets;
            this.maxQueuedInboundBytes = o.maxQueuedInboundBytes;
            this.memoryShedPercent = o.memoryShedPercent;
            this.ioThreads = o.ioThreads;
            this.maxSessions = o.maxSessions;
            this.maxSessionsPerAddress = o.maxSessionsPerAddress;
            this.handshakesPerSecond = o.handshakesPerSecond;
            this.handshakeBurst = o.handshakeBurst;
            this.maxConnections = o.maxConnections;
            this.maxConnectionsPerAddress = o.maxConnectionsPerAddress;
            this.requestHeadTimeout = o.requestHeadTimeout;
            this.trustProxy = o.trustProxy;
            this.hostCheck = o.hostCheck;
            this.handshakeHeaders = o.handshakeHeaders;
            this.maxHandshakeBytes = o.maxHandshakeBytes;
            this.refusalListener = o.refusalListener;
        }

        public Builder host(String host) { this.host = Objects.requireNonNull(host, "host"); return this; }

        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            this.port = port;
            return this;
        }

        public Builder pingInterval(Duration d) { this.pingInterval = positive(d, "pingInterval"); return this; }
        public Builder pingTimeout(Duration d) { this.pingTimeout = positive(d, "pingTimeout"); return this; }
        public Builder upgradeTimeout(Duration d) { this.upgradeTimeout = positive(d, "upgradeTimeout"); return this; }

        public Builder maxPayload(int bytes) {
            if (bytes < 64) throw new IllegalArgumentException("maxPayload must be >= 64: " + bytes);
            this.maxPayload = bytes;
            return this;
        }

        public Builder transports(Set<String> transports) {
            Set<String> copy = new LinkedHashSet<>(transports);
            if (copy.isEmpty() || !Set.of("polling", "websocket").containsAll(copy)) {
                throw new IllegalArgumentException("transports must be a non-empty subset of [polling, websocket]: " + transports);
            }
            this.transports = copy;
            return this;
        }

        public Builder allowEio3(boolean allow) { this.allowEio3 = allow; return this; }

        /** Allowed browser origins ("https://host[:port]"); "*" allows any; empty disables CORS and the Origin check. */
        public Builder corsOrigins(List<String> origins) { this.corsOrigins = List.copyOf(origins); return this; }

        public Builder corsCredentials(boolean credentials) { this.corsCredentials = credentials; return this; }
        public Builder perMessageDeflate(boolean on) { this.perMessageDeflate = on; return this; }

        public Builder maxInflatedMessage(int bytes) {
            if (bytes < 64) throw new IllegalArgumentException("maxInflatedMessage must be >= 64: " + bytes);
            this.maxInflatedMessage = bytes;
            return this;
        }

        public Builder outboundSoftLimit(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("outboundSoftLimit must be > 0");
            this.outboundSoftLimit = bytes;
            return this;
        }

        public Builder outboundHardLimit(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("outboundHardLimit must be > 0");
            this.outboundHardLimit = bytes;
            return this;
        }

        public Builder ioThreads(int threads) {
            if (threads < 0) throw new IllegalArgumentException("ioThreads must be >= 0");
            this.ioThreads = threads;
            return this;
        }

        /** Open Engine.IO sessions, counted from the handshake (0 = no cap); beyond, a handshake gets 503. */
        public Builder maxSessions(int max) { this.maxSessions = nonNegative(max, "maxSessions"); return this; }

        /** Open sessions per client address (see {@link #trustProxy}); 0 = no cap; beyond, a handshake gets 429. */
        public Builder maxSessionsPerAddress(int max) {
            this.maxSessionsPerAddress = nonNegative(max, "maxSessionsPerAddress");
            return this;
        }

        /** New sessions per second per client address, with a burst (0 = no limit); beyond, a handshake gets 429. */
        public Builder handshakeRate(int perSecond, int burst) {
            this.handshakesPerSecond = nonNegative(perSecond, "handshakesPerSecond");
            if (burst < 1) throw new IllegalArgumentException("handshakeBurst must be >= 1");
            this.handshakeBurst = burst;
            return this;
        }

        /** Open TCP connections (0 = no cap); beyond, a new connection gets 503 and is closed. */
        public Builder maxConnections(int max) { this.maxConnections = nonNegative(max, "maxConnections"); return this; }

        /** Open TCP connections per peer address, a trusted proxy's excepted (0 = no cap); beyond, 429 and closed. */
        public Builder maxConnectionsPerAddress(int max) {
            this.maxConnectionsPerAddress = nonNegative(max, "maxConnectionsPerAddress");
            return this;
        }

        /** Time allowed for a whole request head, however the bytes trickle in; the connection is closed after. */
        public Builder requestHeadTimeout(Duration d) { this.requestHeadTimeout = positive(d, "requestHeadTimeout"); return this; }

        /** true: forwarding headers from loopback and private networks give the client address ({@link ProxyTrust#PRIVATE_NETWORKS}). */
        public Builder trustProxy(boolean trust) { return trustProxy(trust ? ProxyTrust.PRIVATE_NETWORKS : ProxyTrust.NONE); }

        /** The peers whose forwarding headers give the client address (see {@link ClientAddress}); default none. */
        public Builder trustProxy(ProxyTrust trust) { this.trustProxy = Objects.requireNonNull(trust, "trustProxy"); return this; }

        /** Which Host headers are answered; {@link HostCheck#ANY} (default) = all. */
        public Builder hostCheck(HostCheck check) { this.hostCheck = Objects.requireNonNull(check, "hostCheck"); return this; }

        /** Handshake headers a session keeps for its handlers (lower-case names); the others are dropped. */
        public Builder handshakeHeaders(Set<String> names) {
            this.handshakeHeaders = Set.copyOf(names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList());
            return this;
        }

        /** Bound on what a session keeps of its handshake (URI plus kept headers, in chars); beyond, 431. */
        public Builder maxHandshakeBytes(int bytes) {
            if (bytes < 256) throw new IllegalArgumentException("maxHandshakeBytes must be >= 256: " + bytes);
            this.maxHandshakeBytes = bytes;
            return this;
        }

        /**
         * Told of every admission refusal by reason (tcp_full, tcp_per_ip, request_head_timeout, host_not_allowed,
         * handshake_too_large, sessions_full, sessions_per_ip, handshake_rate), on an I/O thread: for metrics.
         */
        public Builder refusalListener(Consumer<String> listener) {
            this.refusalListener = Objects.requireNonNull(listener, "refusalListener");
            return this;
        }

        /**
         * Bounds one session's packets read by another I/O loop than the session's (an upgraded WebSocket) and not
         * yet handled there; past either the session ends. A single packet is always taken (maxPayload bounds it).
         */
        public Builder maxQueuedInbound(int packets, long bytes) {
            if (packets < 1 || bytes < 1) throw new IllegalArgumentException("maxQueuedInbound must be >= 1");
            this.maxQueuedInboundPackets = packets;
            this.maxQueuedInboundBytes = bytes;
            return this;
        }

        /**
         * When direct memory, or the heap after a collection, passes this percent of its limit, the connections
         * holding the most unread outbound bytes are closed as slow consumers (see OutboundMemoryGuard); 0 = never.
         */
        public Builder memoryShedPercent(int percent) {
            if (percent != 0 && (percent < 10 || percent > 95)) {
                throw new IllegalArgumentException("memoryShedPercent must be 0 or 10-95: " + percent);
            }
            this.memoryShedPercent = percent;
            return this;
        }

        public EngineIoOptions build() {
            return new EngineIoOptions(
                    host, port, pingInterval, pingTimeout, upgradeTimeout, maxPayload, transports, allowEio3,
                    corsOrigins, corsCredentials, perMessageDeflate, maxInflatedMessage, outboundSoftLimit,
                    outboundHardLimit, ioThreads, maxSessions, maxSessionsPerAddress, handshakesPerSecond,
                    handshakeBurst, maxConnections, maxConnectionsPerAddress, requestHeadTimeout, trustProxy,
                    hostCheck, handshakeHeaders, maxHandshakeBytes, refusalListener, maxQueuedInboundPackets,
                    maxQueuedInboundBytes, memoryShedPercent);
        }

        private static int nonNegative(int value, String name) {
            if (value < 0) throw new IllegalArgumentException(name + " must be >= 0");
            return value;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0");
            return d;
        }
    }
}
