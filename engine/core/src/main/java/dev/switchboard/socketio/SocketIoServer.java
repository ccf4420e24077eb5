package dev.switchboard.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.EngineIoServer;
import dev.switchboard.engineio.HttpRoute;
import dev.switchboard.socketio.parser.SocketIoParser;

/**
 * A Socket.IO v5 server (socket.io-client 3.x/4.x, and 2.x over Engine.IO v3 when the engine allows it) on
 * our Engine.IO server. Declare namespaces with {@link #of}, then {@link #start}.
 */
public final class SocketIoServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketIoServer.class);

    private final SocketIoCore core;
    private final EngineIoServer engine;
    private final String path;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SocketIoServer(Builder b) {
        this.core = new SocketIoCore(new ServerSettings(b.connectTimeout, b.ackTimeout, b.workerThreads, b.maxAttachments,
                b.recovery, b.recoveryStores, b.inboundLimit, b.parser, b.engineOptions.maxPayload(),
                b.engineOptions.maxHandshakeBytes()), b.mapper, b.adapterFactory,
                b.broadcastListeners, b.trackers, b.unfinishedPackets);
        this.path = b.path;
        this.engine = EngineIoServer.create(b.engineOptions).endpoint(b.path, core::accept);
        if (b.serveClient) {
            ClientBundle.load().routes(b.path, engine::route);
        }
        for (RouteSpec r : b.routes) {
            if (r.prefix) {
                engine.routePrefix(r.method, r.path, r.handler);
            } else {
                engine.route(r.method, r.path, r.handler);
            }
        }
        b.webSocketRoutes.forEach(engine::webSocketRoute);
    }

    /** Tests: the Socket.IO layer behind this server. */
    SocketIoCore core() {
        return core;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Declares (or returns) a namespace; only declared namespaces accept CONNECT. "/" always exists. */
    public Namespace of(String name) {
        return core.of(name);
    }

    /** Binds the public port; throws (UncheckedIOException) when it cannot. */
    public SocketIoServer start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        engine.start();
        log.info("event=socketio_started port={} path={} namespaces={}", engine.port(), path,
                core.namespaces().stream().map(Namespace::name).sorted().toList());
        return this;
    }

    /** The bound public port (after start), else -1. */
    public int port() {
        return engine.port();
    }

    public Collection<Namespace> namespaces() {
        return core.namespaces();
    }

    public EngineIoServer engine() {
        return engine;
    }

    /** Counters since start: volatile drops, slow-consumer disconnects, recoveries (see docs/slow-consumers.md). */
    public SocketIoMetrics metrics() {
        return core.counters().snapshot(engine.memoryShedConnections());
    }

    /** The connection state recovery settings, or null when it is off. */
    public RecoveryOptions recoveryOptions() {
        return core.settings().recovery();
    }

    /** Registers an observer of every namespace's sockets (connect, disconnect, join, leave). */
    public SocketIoServer observe(SocketObserver observer) {
        core.addObserver(Objects.requireNonNull(observer, "observer"));
        return this;
    }

    /** Whether {@link #start} was called. */
    public boolean started() {
        return started.get();
    }

    /**
     * Graceful stop: stops accepting, closes every Engine.IO transport (not a Socket.IO DISCONNECT, so
     * socket.io-client reconnects elsewhere or later), runs the disconnect handlers, waits up to {@code grace}.
     */
    public void close(Duration grace) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        core.stopAccepting();
        if (started.get()) {
            engine.close(); // stops listening and closes every session with "server shutting down"
        }
        core.closeAllConnections("server shutting down"); // any the engine did not report closed
        if (!core.awaitNoClients(deadline)) {
            log.warn("event=socketio_close_timeout clients={}", core.clientCount());
        }
        core.shutdown(deadline);
        log.info("event=socketio_stopped port={}", engine.port());
    }

    /** {@link #close(Duration)} with a 5 s grace. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private record RouteSpec(String method, String path, HttpRoute handler, boolean prefix) {
    }

    public static final class Builder {
        private EngineIoOptions engineOptions;
        private String path = "/socket.io/";
        private boolean serveClient = true;
        private Duration connectTimeout = ServerSettings.DEFAULTS.connectTimeout();
        private Duration ackTimeout = ServerSettings.DEFAULTS.ackTimeout();
        private int workerThreads = ServerSettings.DEFAULTS.workerThreads();
        private int maxAttachments = ServerSettings.DEFAULTS.maxAttachments();
        private ObjectMapper mapper;
        private AdapterFactory adapterFactory = InMemoryAdapter::new;
        private BroadcastListener.Factory broadcastListeners;
        private SocketIoMetricsTracker.Factory trackers = SocketIoMetricsTracker.Factory.NONE;
        private RecoveryOptions recovery;
        private RecoveryStore.Factory recoveryStores;
        private InboundLimit inboundLimit = ServerSettings.DEFAULTS.inboundLimit();
        private SocketIoParser parser = ServerSettings.DEFAULTS.parser();
        private UnfinishedPackets unfinishedPackets = UnfinishedPackets.defaults();
        private final List<RouteSpec> routes = new ArrayList<>();
        private final java.util.Map<String, dev.switchboard.engineio.WebSocketRoute> webSocketRoutes =
                new java.util.LinkedHashMap<>();

        private Builder() {
        }

        /** Engine.IO options: host, port, ping, limits, CORS... (defaults: EngineIoOptions.builder().build()). */
        public Builder engine(EngineIoOptions options) {
            this.engineOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Serve the browser builds of socket.io-client at {@code <path>/socket.io.js}, {@code .min.js},
         * {@code .msgpack.min.js}, {@code .esm.min.js} and their maps (Node's {@code serveClient}, on by default).
         */
        public Builder serveClient(boolean serve) {
            this.serveClient = serve;
            return this;
        }

        /** Close a session that joined no namespace within this time (Node: connectTimeout, 45 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Default timeout of {@link Socket#emitWithAck} when called with a null timeout. */
        public Builder ackTimeout(Duration timeout) {
            this.ackTimeout = positive(timeout, "ackTimeout");
            return this;
        }

        /** Size of the handler pool (middleware, connection, event and disconnect handlers). */
        public Builder workerThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("workerThreads must be >= 1");
            }
            this.workerThreads = threads;
            return this;
        }

        /** Most binary attachments one packet may announce (Node's socket.io-parser: 10). */
        /** Received-but-unhandled events one connection may hold (default 10,000 events, 32 MiB). */
        public Builder inboundLimit(InboundLimit limit) {
            this.inboundLimit = java.util.Objects.requireNonNull(limit, "limit");
            return this;
        }

        /** Tests: a smaller budget or deadline for binary packets waiting for attachments (see UnfinishedPackets). */
        Builder unfinishedPackets(long budgetBytes, Duration timeout) {
            this.unfinishedPackets = new UnfinishedPackets(budgetBytes, timeout);
            return this;
        }

        public Builder maxAttachments(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxAttachments must be >= 1");
            }
            this.maxAttachments = max;
            return this;
        }

        /**
         * The packet format every client of this server uses, as Node's {@code parser} option (default
         * {@link SocketIoParser#DEFAULT}). {@link SocketIoParser#MSGPACK} speaks to clients built with
         * socket.io-msgpack-parser 3.x; it needs an engine without Engine.IO v3 (socket.io-client 2.x used
         * the parser's 2.x version, another format).
         */
        public Builder parser(SocketIoParser parser) {
            this.parser = Objects.requireNonNull(parser, "parser");
            return this;
        }

        /** The Jackson mapper used to serialize emitted arguments and parse received ones. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** How each namespace's adapter is made (default: in-memory). */
        public Builder adapter(AdapterFactory factory) {
            this.adapterFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Gives namespaces a {@link BroadcastListener} (the factory is asked once per namespace, when it is
         * created; it may return null): it sees every broadcast the namespace's adapter delivers on this node,
         * local or from another node, and keeps a cluster adapter from skipping the rooms it wants. Default: none.
         */
        public Builder broadcastListener(BroadcastListener.Factory factory) {
            this.broadcastListeners = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Makes each namespace's {@link SocketIoMetricsTracker}, told about connects, disconnects, events received,
         * refused and sent (broadcasts from other nodes included), broadcast delivery times and sizes and
         * namespace connect times. Default: tracked nowhere.
         */
        public Builder metricsTracker(SocketIoMetricsTracker.Factory factory) {
            this.trackers = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Turns on connection state recovery (socket.io-client 4.6+; off by default): a client that lost its
         * connection for at most {@code maxDisconnectionDuration} reconnects with the same socket id and rooms and
         * receives the broadcasts it missed, as long as they are still among the last {@code maxBufferedPackets}
         * broadcasts of the namespace and within {@code maxBufferedBytes}; otherwise it gets a new session
         * ({@code socket.recovered === false}). Every non-volatile broadcast then carries its offset as its last
         * argument (as Node does). Keep {@code maxBufferedBytes} under the engine's outboundHardLimit so a replay
         * cannot trip the slow-consumer bound by itself.
         */
        public Builder connectionStateRecovery(Duration maxDisconnectionDuration, int maxBufferedPackets,
                                               long maxBufferedBytes) {
            this.recovery = new RecoveryOptions(maxDisconnectionDuration, maxBufferedPackets, maxBufferedBytes);
            return this;
        }

        /** Where recovery keeps broadcasts and sessions (default: {@link InMemoryRecoveryStore}). */
        public Builder recoveryStore(RecoveryStore.Factory factory) {
            this.recoveryStores = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** A plain HTTP route on the public port (passed through to EngineIoServer.route). */
        public Builder route(String method, String path, HttpRoute handler) {
            routes.add(new RouteSpec(method, path, handler, false));
            return this;
        }

        public Builder routePrefix(String method, String prefix, HttpRoute handler) {
            routes.add(new RouteSpec(method, prefix, handler, true));
            return this;
        }

        /** A plain WebSocket endpoint on the public port (passed through to EngineIoServer.webSocketRoute). */
        public Builder webSocketRoute(String path, dev.switchboard.engineio.WebSocketRoute route) {
            webSocketRoutes.put(Objects.requireNonNull(path, "path"), Objects.requireNonNull(route, "route"));
            return this;
        }

        public SocketIoServer build() {
            if (engineOptions == null) {
                engineOptions = EngineIoOptions.builder().build();
            }
            if (recovery != null && recovery.maxSavedSessions() == 0) {
                // every saved session was a live one: as many as the engine may hold live (0: no bound)
                recovery = recovery.withMaxSavedSessions(engineOptions.maxSessions());
            }
            if (mapper == null) {
                mapper = new ObjectMapper();
            }
            if (parser != SocketIoParser.DEFAULT && engineOptions.allowEio3()) {
                throw new IllegalArgumentException("the " + parser + " parser needs allowEio3(false): Engine.IO v3"
                        + " clients (socket.io-client 2.x) cannot use it");
            }
            return new SocketIoServer(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
