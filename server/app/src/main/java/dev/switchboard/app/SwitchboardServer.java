package dev.switchboard.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.FunctionCounter;

import dev.switchboard.app.config.PlainChannelsSettings;
import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.app.console.ConsoleRoutes;
import dev.switchboard.app.console.ConsoleSessions;
import dev.switchboard.app.console.MetricsHistory;
import dev.switchboard.app.memory.HeapTrim;
import dev.switchboard.app.credentials.ChannelTokens;
import dev.switchboard.app.guard.ConnectionPolicy;
import dev.switchboard.channels.PlainChannels;
import dev.switchboard.channels.postgres.BridgeRelay;
import dev.switchboard.channels.postgres.PgBridge;
import dev.switchboard.emitapi.EmitApi;
import dev.switchboard.emitapi.EmitApiOptions;
import dev.switchboard.emitapi.HealthReport;
import dev.switchboard.emitapi.ServerStatus;
import dev.switchboard.emitapi.ServerView;
import dev.switchboard.emitapi.SwitchboardMetrics;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.HostCheck;
import dev.switchboard.engineio.HttpReply;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.namespaces.core.SwitchboardNamespace;
import dev.switchboard.redis.RedisCluster;
import dev.switchboard.socketio.AdapterFactory;
import dev.switchboard.socketio.InMemoryAdapter;
import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.RecoveryOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.admin.AdminUi;
import dev.switchboard.socketio.parser.SocketIoParser;

/**
 * The running server: Socket.IO on HOST:WS_PORT with the namespaces, the HTTP API on API_HOST:API_PORT.
 * {@link #close()} is the graceful shutdown: draining, transports closed (clients reconnect), producers stopped,
 * API stopped.
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);

    private final SwitchboardConfig config;
    private final List<SwitchboardNamespace> namespaces;
    private final Map<String, Namespace> declared = new LinkedHashMap<>();
    private final List<Map.Entry<String, RunningNamespace>> running = new CopyOnWriteArrayList<>(); // what install() returned
    private final SwitchboardMetrics metrics = new SwitchboardMetrics();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final View view = new View();
    private final ScheduledExecutorService scheduler;
    private final HealthReport report;
    private final BackendGauges backends = new BackendGauges(metrics);
    private final ConsoleSessions consoleSessions = new ConsoleSessions();
    private final HeapTrim heapTrim;
    private volatile ServerStatus status = ServerStatus.STARTING;
    private SocketIoServer io;
    private RedisCluster cluster; // null unless REDIS_URL is set
    private volatile Map<String, Integer> clusterConnections; // refreshed every second while clustered
    private EmitApi api;
    private PlainChannels channels; // null when WS_CHANNELS_ENABLED=false
    private PgBridge pgBridge; // null unless PG_URL is set

    private SwitchboardServer(SwitchboardConfig config, List<SwitchboardNamespace> namespaces) {
        this.config = config;
        this.namespaces = List.copyOf(namespaces);
        this.report = new HealthReport(view, metrics, Version.current());
        this.heapTrim = new HeapTrim(config.heapTrim(), () -> io == null ? 0 : io.engine().clientsCount());
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "sb-scheduler-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Binds both ports and installs the namespaces; on failure releases what it took and rethrows. */
    public static SwitchboardServer start(SwitchboardConfig config, List<SwitchboardNamespace> namespaces) {
        SwitchboardServer server = new SwitchboardServer(config, namespaces);
        try {
            server.startUp();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startUp() {
        log.info("switchboard starting version={} {}", Version.current(), config);
        SocketIoServer.Builder builder = SocketIoServer.builder();
        AdapterFactory adapters = InMemoryAdapter::new;
        if (config.redis().enabled()) {
            cluster = RedisCluster.start(config.redis()); // never blocks on Redis: degraded until it answers
            adapters = cluster.adapterFactory();
        }
        ConnectionPolicy policy = new ConnectionPolicy(config, metrics,
                handshake -> ConsoleRoutes.handshakeCredential(consoleSessions, handshake.auth()));
        RoomAccess rooms = config.namespaces().rooms();
        log.info("room rule patterns={}", rooms);
        PlainChannelsSettings plain = config.channels();
        if (plain.enabled()) {
            // plain WebSocket clients on the same port; every namespace broadcast delivered here (made here or
            // arrived from another node) reaches them
            channels = PlainChannels.create(plain.catalog(), plain.options(),
                    new ChannelTokens(config.authTokens(), config.jwt(), plain.agentSessions(), policy::namespaceOpen),
                    rooms, plain.publicChannels(), scheduler);
            builder.broadcastListener(channels.broadcastListeners());
            builder.webSocketRoute(plain.path(), channels.endpoint());
            report.section("channels", channels::summary, channels::report);
        }
        builder.adapter(adapters);
        MetricsHistory history = new MetricsHistory(metrics.registry(), () -> channels == null ? 0 : channels.connections());
        new ConsoleRoutes(config, consoleSessions, history, metrics).register(builder);
        if (config.recovery() != null) {
            RecoveryOptions r = config.recovery();
            builder.connectionStateRecovery(r.maxDisconnectionDuration(), r.maxBufferedPackets(), r.maxBufferedBytes());
        }
        // built before the public port: its POST /emit answers through the API's own emit path
        api = new EmitApi(apiOptions(), view, metrics, report);
        PublicEmitRoute publicEmit = new PublicEmitRoute(api.endpoint(), api.browserGuard());
        for (String path : List.of("/emit", "/emit/", "/emit/batch", "/emit/batch/")) {
            builder.route("POST", path, publicEmit);
        }
        io = builder
                .metricsTracker(NamespaceMeters.factory(
                        namespaces.stream().map(SwitchboardNamespace::name).collect(Collectors.toSet()), metrics,
                        heapTrim::connected))
                .engine(engineOptions())
                .connectTimeout(config.connectTimeout())
                .path(config.clientEndpoint().path())
                .serveClient(config.clientEndpoint().serveClient())
                .parser(config.parser())
                .route("GET", "/health", request -> HttpReply.json(status.httpStatus(), report.healthJson()))
                .route("GET", "/ui", StaticUi.redirect())
                .routePrefix("GET", StaticUi.PREFIX, new StaticUi(config.parser()))
                .build();
        for (SwitchboardNamespace namespace : namespaces) {
            Namespace declaring = io.of(namespace.name());
            RunningNamespace installed = policy.guard(declaring, () -> namespace.install(new NamespaceContext(declaring, scheduler, rooms)));
            running.add(Map.entry(namespace.name(), installed));
            declared.put(namespace.name(), declaring);
            installed.backends().forEach(backends::probe);
        }
        metrics.buildInfo(Version.current(), Version.commit());
        if (channels != null) {
            channels.bind(view::namespace, () -> io.engine().clientsCount());
        }
        metrics.gauge("switchboard.active.streams", "Upstream producer streams running", view::activeStreams);
        metrics.engineCounters(io::metrics);
        FunctionCounter.builder("switchboard.heap.trims", heapTrim, HeapTrim::trims)
                .description("Concurrent collections asked for after a connection storm to give the heap back")
                .register(metrics.registry());
        metrics.gauge("switchboard.engine.sessions", "Engine.IO sessions admitted and not yet gone (joined or not)",
                () -> io.engine().admittedSessions());
        metrics.gauge("switchboard.engine.tcp.connections", "Open TCP connections on the public port",
                () -> io.engine().openConnections());
        if (config.adminUi() != null) {
            AdminUi.install(io, config.adminUi());
        }
        io.start();
        history.start(scheduler);
        heapTrim.start(scheduler);
        if (plain.pgUrl() != null) {
            BridgeRelay relay = channels != null ? channels::relay : (name, room, event, data) -> {
                Namespace namespace = view.namespace(name);
                return namespace == null ? 0 : namespace.to(room).emit(event, data);
            };
            pgBridge = new PgBridge(plain.pgUrl(), plain.pgRoutes(), relay).start();
            report.section("postgresBridge", pgBridge::summary, pgBridge::status);
            PgBridge bridge = pgBridge;
            backends.watch("postgres", () -> bridge.state() == PgBridge.State.LISTENING);
        }
        if (cluster != null) {
            backends.watch("redis", cluster::healthy);
            cluster.startRelay(io);
            // /health is public and answered on an I/O thread: it reads a snapshot, never Redis itself
            scheduler.scheduleWithFixedDelay(this::refreshClusterConnections, 0, 1, TimeUnit.SECONDS);
        }
        api.start();
        status = ServerStatus.OK;
        log.info("switchboard started host={} wsPort={} apiHost={} apiPort={} namespaces={}",
                config.host(), io.port(), config.apiHost(), api.port(), declared.keySet());
        StartupUrls.of(config.host(), io.port(), config.apiHost(), api.port(), config.clientEndpoint().path())
                .forEach((what, url) -> log.info("open what={} url={}", what, url));
    }

    private EmitApiOptions apiOptions() {
        return new EmitApiOptions(config.apiHost(), config.apiPort(), config.emitToken(), config.apiMaxBodyBytes(),
                config.apiMaxBatch(), config.apiProtection().allowedHosts(), config.apiProtection().requestTimeout(),
                config.apiProtection().maxConnectionsPerIp(), config.apiSelectors());
    }

    private EngineIoOptions engineOptions() {
        return EngineIoOptions.builder()
                .host(config.host())
                .port(config.wsPort())
                .pingInterval(config.pingInterval())
                .pingTimeout(config.pingTimeout())
                .maxPayload(config.maxPayloadBytes())
                .maxInflatedMessage(config.maxPayloadBytes())
                .corsOrigins(config.corsOrigins())
                .corsCredentials(true)
                .allowEio3(config.parser() == SocketIoParser.DEFAULT) // socket.io-client 2.x: the default parser only
                .trustProxy(config.proxyTrust())
                .maxSessions(config.admission().maxSessions())
                .maxSessionsPerAddress(config.admission().maxSessionsPerIp())
                .handshakeRate(config.admission().handshakesPerSecondPerIp(), config.admission().handshakeBurstPerIp())
                .maxConnections(config.admission().maxTcpConnections())
                .maxConnectionsPerAddress(config.admission().maxTcpConnectionsPerIp())
                .requestHeadTimeout(config.admission().requestHeadTimeout())
                .hostCheck(config.admission().checkHost()
                        ? HostCheck.loopbackAnd(config.admission().allowedHosts()) : HostCheck.ANY)
                .memoryShedPercent(config.admission().memoryShedPercent())
                .refusalListener(reason -> metrics.refusal("engine_" + reason))
                .build();
    }

    public int wsPort() {
        return io.port();
    }

    public int apiPort() {
        return api.port();
    }

    public ServerStatus status() {
        return status;
    }

    public SwitchboardMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful shutdown, bounded by SHUTDOWN_GRACE_MS: /health says draining, the public port stops accepting and
     * closes every transport (clients see "transport close" and reconnect), producers stop, the API stops.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        status = ServerStatus.DRAINING;
        log.info("shutdown started graceMs={} connections={}", config.shutdownGrace().toMillis(), totalSockets());
        ShutdownSteps steps = new ShutdownSteps(config.shutdownGrace());
        if (pgBridge != null) {
            // a database that does not answer must not take the time the sockets' drain needs
            steps.run("pg bridge", config.shutdownGrace().dividedBy(4), pgBridge::close);
        }
        if (channels != null) {
            steps.run("channels", channels::close); // plain clients get 1001 while the I/O threads still run
        }
        if (io != null) {
            steps.run("socket.io", () -> io.close(config.shutdownGrace().dividedBy(2)));
        }
        if (cluster != null) {
            steps.run("redis", cluster::close); // after the sockets left, so this node's state leaves Redis too
        }
        for (Map.Entry<String, RunningNamespace> namespace : running) {
            steps.run("namespace " + namespace.getKey(), namespace.getValue()::close);
        }
        if (api != null) {
            steps.run("api", api::close);
        }
        scheduler.shutdownNow();
        heapTrim.close();
        backends.close();
        metrics.close();
        log.info("shutdown complete tookMs={} stepsTimedOut={}", Duration.ofNanos(System.nanoTime() - started).toMillis(),
                steps.abandoned());
    }

    private void refreshClusterConnections() {
        try {
            Map<String, Integer> connections = new LinkedHashMap<>();
            cluster.view().connections(declared.keySet()).forEach((name, count) -> connections.put(name, count.intValue()));
            clusterConnections = connections;
        } catch (RuntimeException e) { // ClusterUnavailableException among others
            clusterConnections = null; // /health reports this node's own counts until Redis answers again
            log.debug("cluster counts unavailable, reporting local ones", e);
        }
    }

    private int totalSockets() {
        int total = 0;
        for (Namespace namespace : declared.values()) {
            total += namespace.socketCount();
        }
        return total;
    }

    private final class View implements ServerView {
        @Override
        public Namespace namespace(String name) {
            return declared.get(name);
        }

        @Override
        public Collection<Namespace> namespaces() {
            return new ArrayList<>(declared.values());
        }

        @Override
        public int activeStreams() {
            int total = 0;
            for (Map.Entry<String, RunningNamespace> namespace : running) {
                try {
                    total += namespace.getValue().activeStreams();
                } catch (RuntimeException e) {
                    log.debug("activeStreams failed namespace={}", namespace.getKey(), e);
                }
            }
            return total;
        }

        @Override
        public ServerStatus status() {
            ServerStatus current = status;
            return current == ServerStatus.OK && cluster != null && !cluster.healthy() ? ServerStatus.DEGRADED : current;
        }

        @Override
        public Map<String, Integer> connections() {
            Map<String, Integer> cached = clusterConnections;
            return cluster != null && cluster.healthy() && cached != null ? cached : ServerView.super.connections();
        }
    }
}
