package dev.switchboard.engineio;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Engine.IO server settings; defaults match Node's engine.io server. Immutable; build with {@link #builder()}. */
public final class EngineIoOptions {
    /**
     * The handshake headers a session keeps by default: those read by the Socket.IO layer, the app's handlers
     * (authorization, client address) and the Admin UI. Everything else of the handshake request is dropped.
     */
    public static final Set<String> DEFAULT_HANDSHAKE_HEADERS = Set.of("host", "origin", "user-agent", "referer",
            "authorization", "x-forwarded-for", "x-real-ip", "cf-connecting-ip", "accept-language");

    private final String host;
    private final int port;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration upgradeTimeout;
    private final int maxPayload;
    private final Set<String> transports;
    private final boolean allowEio3;
    private final List<String> corsOrigins;
    private final boolean corsCredentials;
    private final boolean perMessageDeflate;
    private final int maxInflatedMessage;
    private final long outboundSoftLimit;
    private final long outboundHardLimit;
    private final int ioThreads;
    private final int maxSessions;
    private final int maxSessionsPerAddress;
    private final int handshakesPerSecond;
    private final int handshakeBurst;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final Duration requestHeadTimeout;
    private final boolean trustProxy;
    private final HostCheck hostCheck;
    private final Set<String> handshakeHeaders;
    private final int maxHandshakeBytes;
    private final java.util.function.Consumer<String> refusalListener;

    private EngineIoOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.upgradeTimeout = b.upgradeTimeout;
        this.maxPayload = b.maxPayload;
        this.transports = Set.copyOf(b.transports);
        this.allowEio3 = b.allowEio3;
        this.corsOrigins = List.copyOf(b.corsOrigins);
        this.corsCredentials = b.corsCredentials;
        this.perMessageDeflate = b.perMessageDeflate;
        this.maxInflatedMessage = b.maxInflatedMessage;
        this.outboundSoftLimit = b.outboundSoftLimit;
        this.outboundHardLimit = b.outboundHardLimit;
        this.ioThreads = b.ioThreads;
        this.maxSessions = b.maxSessions;
        this.maxSessionsPerAddress = b.maxSessionsPerAddress;
        this.handshakesPerSecond = b.handshakesPerSecond;
        this.handshakeBurst = b.handshakeBurst;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.requestHeadTimeout = b.requestHeadTimeout;
        this.trustProxy = b.trustProxy;
        this.hostCheck = b.hostCheck;
        this.handshakeHeaders = Set.copyOf(b.handshakeHeaders);
        this.maxHandshakeBytes = b.maxHandshakeBytes;
        this.refusalListener = b.refusalListener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this instance's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder().host(host).port(port).pingInterval(pingInterval).pingTimeout(pingTimeout)
                .upgradeTimeout(upgradeTimeout).maxPayload(maxPayload).transports(transports).allowEio3(allowEio3)
                .corsOrigins(corsOrigins).corsCredentials(corsCredentials).perMessageDeflate(perMessageDeflate)
                .maxInflatedMessage(maxInflatedMessage).outboundSoftLimit(outboundSoftLimit)
                .outboundHardLimit(outboundHardLimit).ioThreads(ioThreads)
                .maxSessions(maxSessions).maxSessionsPerAddress(maxSessionsPerAddress)
                .handshakeRate(handshakesPerSecond, handshakeBurst).maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress).requestHeadTimeout(requestHeadTimeout)
                .trustProxy(trustProxy).hostCheck(hostCheck).handshakeHeaders(handshakeHeaders)
                .maxHandshakeBytes(maxHandshakeBytes).refusalListener(refusalListener);
    }

    public String host() { return host; }
    public int port() { return port; }
    public Duration pingInterval() { return pingInterval; }
    public Duration pingTimeout() { return pingTimeout; }
    public Duration upgradeTimeout() { return upgradeTimeout; }
    public int maxPayload() { return maxPayload; }
    public Set<String> transports() { return transports; }
    public boolean allowEio3() { return allowEio3; }
    public List<String> corsOrigins() { return corsOrigins; }
    public boolean corsCredentials() { return corsCredentials; }
    public boolean perMessageDeflate() { return perMessageDeflate; }
    public int maxInflatedMessage() { return maxInflatedMessage; }
    public long outboundSoftLimit() { return outboundSoftLimit; }
    public long outboundHardLimit() { return outboundHardLimit; }
    public int ioThreads() { return ioThreads; }
    public int maxSessions() { return maxSessions; }
    public int maxSessionsPerAddress() { return maxSessionsPerAddress; }
    public int handshakesPerSecond() { return handshakesPerSecond; }
    public int handshakeBurst() { return handshakeBurst; }
    public int maxConnections() { return maxConnections; }
    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }
    public Duration requestHeadTimeout() { return requestHeadTimeout; }
    public boolean trustProxy() { return trustProxy; }
    public HostCheck hostCheck() { return hostCheck; }
    public Set<String> handshakeHeaders() { return handshakeHeaders; }
    public int maxHandshakeBytes() { return maxHandshakeBytes; }
    public java.util.function.Consumer<String> refusalListener() { return refusalListener; }

    @Override
    public String toString() {
        return "EngineIoOptions{host=" + host + ", port=" + port + ", pingInterval=" + pingInterval
                + ", pingTimeout=" + pingTimeout + ", upgradeTimeout=" + upgradeTimeout + ", maxPayload=" + maxPayload
                + ", transports=" + transports + ", allowEio3=" + allowEio3 + ", corsOrigins=" + corsOrigins
                + ", corsCredentials=" + corsCredentials + ", perMessageDeflate=" + perMessageDeflate
                + ", maxInflatedMessage=" + maxInflatedMessage + ", outboundSoftLimit=" + outboundSoftLimit
                + ", outboundHardLimit=" + outboundHardLimit + ", ioThreads=" + ioThreads
                + ", maxSessions=" + maxSessions + ", maxSessionsPerAddress=" + maxSessionsPerAddress
                + ", handshakesPerSecond=" + handshakesPerSecond + ", handshakeBurst=" + handshakeBurst
                + ", maxConnections=" + maxConnections + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress
                + ", requestHeadTimeout=" + requestHeadTimeout + ", trustProxy=" + trustProxy + ", hostCheck=" + hostCheck
                + ", handshakeHeaders=" + new java.util.TreeSet<>(handshakeHeaders) + ", maxHandshakeBytes=" + maxHandshakeBytes + '}';
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
        private int ioThreads = 0;
        private int maxSessions = 0;
        private int maxSessionsPerAddress = 0;
        private int handshakesPerSecond = 0;
        private int handshakeBurst = 1;
        private int maxConnections = 0;
        private int maxConnectionsPerAddress = 0;
        private Duration requestHeadTimeout = Duration.ofSeconds(10);
        private boolean trustProxy = false;
        private HostCheck hostCheck = HostCheck.ANY;
        private Set<String> handshakeHeaders = DEFAULT_HANDSHAKE_HEADERS;
        private int maxHandshakeBytes = 8192;
        private java.util.function.Consumer<String> refusalListener = reason -> { };

        private Builder() {
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

        /** Whether a proxy's forwarding headers give the client address (from a proxy network only, see {@link ClientAddress}). */
        public Builder trustProxy(boolean trust) { this.trustProxy = trust; return this; }

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
        public Builder refusalListener(java.util.function.Consumer<String> listener) {
            this.refusalListener = Objects.requireNonNull(listener, "refusalListener");
            return this;
        }

        public EngineIoOptions build() {
            if (outboundHardLimit < outboundSoftLimit) {
                throw new IllegalArgumentException("outboundHardLimit < outboundSoftLimit");
            }
            return new EngineIoOptions(this);
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
