package dev.switchboard.engineio;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine.IO server: one HTTP listener serving Engine.IO endpoints (long-polling and WebSocket) and plain HTTP
 * routes. Declare endpoints and routes, then {@link #start()}.
 */
public final class EngineIoServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);

    private final EngineIoOptions options;
    private final RouteTable routes = new RouteTable();
    private final SessionRegistry registry = new SessionRegistry();
    private final SessionAdmission admission;
    private final TcpAdmission tcpAdmission;
    private final RefusalLog refusals;
    private volatile OutboundMemoryGuard memoryGuard;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile EventLoopGroup group;
    private volatile Channel serverChannel;
    private volatile int port = -1;

    private EngineIoServer(EngineIoOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.refusals = new RefusalLog(LoggerFactory.getLogger("dev.switchboard.engineio.Admission"),
                options.refusalListener());
        this.admission = new SessionAdmission(options.maxSessions(), options.maxSessionsPerAddress(),
                options.handshakesPerSecond(), options.handshakeBurst());
        this.tcpAdmission = new TcpAdmission(options.maxConnections(), options.maxConnectionsPerAddress(),
                options.trustProxy(), refusals);
    }

    public static EngineIoServer create(EngineIoOptions options) {
        return new EngineIoServer(options);
    }

    /** Serves Engine.IO at this path (with or without trailing slash); the handler runs for each new session. */
    public EngineIoServer endpoint(String path, Consumer<EngineSocket> onConnection) {
        routes.endpoint(path, Objects.requireNonNull(onConnection, "onConnection"));
        return this;
    }

    /** A plain HTTP route for one method and exact path. */
    public EngineIoServer route(String method, String path, HttpRoute handler) {
        routes.route(method, path, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** A plain HTTP route for every path starting with prefix. */
    public EngineIoServer routePrefix(String method, String prefix, HttpRoute handler) {
        routes.routePrefix(method, prefix, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** A plain WebSocket endpoint at this path (not Engine.IO), see {@link WebSocketRoute}. */
    public EngineIoServer webSocketRoute(String path, WebSocketRoute route) {
        routes.webSocket(path, Objects.requireNonNull(route, "route"));
        return this;
    }

    /** Binds the listener. Throws UncheckedIOException when the port cannot be bound. */
    public EngineIoServer start() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("already started");
        IoTransport transport = IoTransport.select();
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("engineio-io"),
                transport.handlers());
        OutboundMemoryGuard memoryGuard = new OutboundMemoryGuard(options.memoryShedPercent(), JvmMemory.INSTANCE,
                registry);
        this.memoryGuard = memoryGuard;
        EngineHttpHandler httpHandler = new EngineHttpHandler(options, routes, registry, admission, refusals,
                memoryGuard);
        long headTimeoutMillis = options.requestHeadTimeout().toMillis();
        long httpIdleMillis = 2 * options.pingInterval().plus(options.pingTimeout()).toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(g)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        ChannelHandler refused = tcpAdmission.admit(ch);
                        if (refused != null) {
                            p.addLast("refused", refused);
                            return;
                        }
                        // an HTTP connection silent for longer than a heartbeat cycle is dead (a parked poll is
                        // answered within pingInterval); removed once the connection becomes a WebSocket
                        p.addLast("http-idle", new IdleStateHandler(0, 0, httpIdleMillis, TimeUnit.MILLISECONDS));
                        p.addLast(HttpReadBackpressure.NAME, HttpReadBackpressure.INSTANCE);
                        p.addLast("http", new HttpServerCodec());
                        RequestHeadDeadline.install(p, "http", headTimeoutMillis, refusals);
                        p.addLast("http-aggregator", new OversizeAwareAggregator(options.maxPayload(), routes, registry));
                        if (options.perMessageDeflate()) {
                            p.addLast("ws-deflate", new WebSocketServerCompressionHandler(options.maxInflatedMessage()));
                        }
                        p.addLast("engine", httpHandler);
                    }
                });
        try {
            serverChannel = bootstrap.bind(options.host(), options.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            memoryGuard.close();
            throw new UncheckedIOException("cannot bind " + options.host() + ":" + options.port(),
                    e instanceof IOException io2 ? io2 : new IOException(e));
        }
        group = g;
        // per-address handshake state of addresses without a session is dropped once their bucket is full again
        g.next().scheduleWithFixedDelay(admission::sweep, 10, 10, TimeUnit.SECONDS);
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        log.info("engine.io server listening host={} port={} io={} pingInterval={}ms pingTimeout={}ms maxPayload={}"
                        + " maxSessions={} maxSessionsPerAddress={} handshakesPerSecond={} handshakeBurst={}"
                        + " maxConnections={} maxConnectionsPerAddress={} requestHeadTimeoutMs={} hostCheck={}",
                options.host(), port, transport.name(), options.pingInterval().toMillis(),
                options.pingTimeout().toMillis(), options.maxPayload(), options.maxSessions(),
                options.maxSessionsPerAddress(), options.handshakesPerSecond(), options.handshakeBurst(),
                options.maxConnections(), options.maxConnectionsPerAddress(), headTimeoutMillis, options.hostCheck());
        return this;
    }

    /** The bound port (after start), else -1. */
    public int port() {
        return port;
    }

    /** Open sessions. */
    public int clientsCount() {
        return registry.openCount();
    }

    /** Sessions holding an admission (open, or closing and not yet gone). */
    public int admittedSessions() {
        return admission.sessions();
    }

    /** Open TCP connections on the public port. */
    public int openConnections() {
        return tcpAdmission.open();
    }

    public EngineIoOptions options() {
        return options;
    }

    /** Connections closed so far because the JVM ran short of memory for what they held (see OutboundMemoryGuard). */
    public long memoryShedConnections() {
        OutboundMemoryGuard guard = memoryGuard;
        return guard == null ? 0 : guard.cut();
    }

    /**
     * Stops accepting, closes every session with reason "server shutting down" (queued packets and a close packet
     * or close frame are flushed first), releases the I/O threads. Blocks up to a few seconds: never call it from
     * a listener or route (an I/O thread).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        Channel server = serverChannel;
        if (server != null) server.close().syncUninterruptibly();
        List<Future<?>> closing = new ArrayList<>();
        for (EngineSession session : registry.snapshot()) closing.add(session.shutdown());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (Future<?> f : closing) f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        EventLoopGroup g = group;
        if (g != null) {
            // the last packets and close frames were handed to (maybe other) loops as write tasks: let every loop
            // run what it has queued before shutdown closes the connections
            for (EventExecutor loop : g) {
                loop.submit(() -> { }).awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            g.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        OutboundMemoryGuard guard = memoryGuard;
        if (guard != null) guard.close();
        log.info("engine.io server stopped port={}", port);
    }
}
