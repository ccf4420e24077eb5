package dev.switchboard.app.guard;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.emitapi.NamespaceMetrics;
import dev.switchboard.emitapi.SwitchboardMetrics;
import dev.switchboard.socketio.Adapter;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.ConnectMiddleware;
import dev.switchboard.socketio.HistoryReplay;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;

/**
 * The namespace as a {@code SwitchboardNamespace} sees it: the engine's namespace with the app's policy around it.
 * Auth runs before the namespace's own middleware, the address limit after it ({@link #sealMiddleware()});
 * connection handlers receive a {@link GuardedSocket} (rate-limited, counted events) after the app's
 * admission hook; broadcasts are counted.
 */
public final class GuardedNamespace implements Namespace {
    private static final Logger log = LoggerFactory.getLogger(GuardedNamespace.class);

    private final Namespace delegate;
    private final ConnectionPolicy policy;
    private final NamespaceMetrics metrics;
    private final SwitchboardMetrics allMetrics;
    private final List<Consumer<Socket>> handlers = new CopyOnWriteArrayList<>();

    public GuardedNamespace(Namespace delegate, ConnectionPolicy policy, SwitchboardMetrics allMetrics) {
        this.delegate = delegate;
        this.policy = policy;
        this.allMetrics = allMetrics;
        this.metrics = allMetrics.namespace(delegate);
        HandshakeAuth.Mode mode = policy.authMode(delegate.name());
        log.info("namespace declared namespace={} auth={}", delegate.name(), mode.name().toLowerCase(Locale.ROOT));
        if (mode == HandshakeAuth.Mode.CLOSED) {
            log.warn("namespace closed namespace={} reason=\"the server is exposed (HOST not loopback, TRUST_PROXY or production) and neither AUTH_TOKENS nor JWT_SECRET/"
                    + "JWT_PUBLIC_KEY/JWT_JWKS_URL is set; every connection will be refused (list it in PUBLIC_NAMESPACES to open it)\"",
                    delegate.name());
        }
        delegate.use(socket -> policy.beforeNamespace(socket, mode));
        delegate.onConnection(this::admit);
    }

    /** Adds the address limit as the last middleware; call after the namespace installed its own. */
    public void sealMiddleware() {
        delegate.use(policy::checkAddressLimit);
    }

    private void admit(Socket raw) {
        GuardedSocket socket = new GuardedSocket(raw, this, metrics, policy.rateLimit());
        policy.admitted(socket);
        for (Consumer<Socket> handler : handlers) {
            handler.accept(socket);
        }
        socket.installDefaultAnyHandler();
    }

    void countRateLimited() {
        allMetrics.refusal("rate_limited");
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Namespace use(ConnectMiddleware middleware) {
        delegate.use(middleware);
        return this;
    }

    @Override
    public Namespace onConnection(Consumer<Socket> handler) {
        handlers.add(handler);
        return this;
    }

    @Override
    public BroadcastOperator to(String... rooms) {
        return new CountingBroadcast(delegate.to(rooms), metrics);
    }

    @Override
    public BroadcastOperator except(String... rooms) {
        return new CountingBroadcast(delegate.except(rooms), metrics);
    }

    @Override
    public int emit(String event, Object... args) {
        int delivered = delegate.emit(event, args);
        metrics.eventsOut(delivered);
        return delivered;
    }

    @Override
    public int socketCount() {
        return delegate.socketCount();
    }

    @Override
    public Collection<Socket> sockets() {
        return delegate.sockets();
    }

    @Override
    public Socket socket(String id) {
        return delegate.socket(id);
    }

    @Override
    public Map<String, Integer> rooms() {
        return delegate.rooms();
    }

    @Override
    public Adapter adapter() {
        return delegate.adapter();
    }

    @Override
    public Namespace history(Predicate<String> rooms, int lastN, Duration maxAge) {
        delegate.history(rooms, lastN, maxAge);
        return this;
    }

    @Override
    public boolean hasHistory(String room) {
        return delegate.hasHistory(room);
    }

    @Override
    public HistoryReplay replayHistory(Socket socket, String room, String sinceOffset) {
        Socket engineSocket = socket instanceof GuardedSocket guarded ? guarded.unwrap() : socket;
        return delegate.replayHistory(engineSocket, room, sinceOffset);
    }
}
