package dev.switchboard.app.guard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.app.config.RateLimitSettings;
import dev.switchboard.emitapi.NamespaceMetrics;
import dev.switchboard.engineio.RateLimiter;
import dev.switchboard.namespaces.core.ClientErrors;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.EventHandler;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;

/**
 * A socket whose incoming events pass the per-socket rate limit before the namespace's handler runs, and whose
 * events in and out are counted. Dropped events never reach a handler; see {@link RateLimiter} for the policy.
 */
final class GuardedSocket implements Socket {
    private static final Logger log = LoggerFactory.getLogger(GuardedSocket.class);

    private final Socket delegate;
    private final GuardedNamespace namespace;
    private final NamespaceMetrics metrics;
    private final RateLimiter rateGuard;
    private final int eventsPerSecond;
    private volatile boolean anyHandlerSet;
    private boolean throttleLogged;

    GuardedSocket(Socket delegate, GuardedNamespace namespace, NamespaceMetrics metrics, RateLimitSettings rateLimit) {
        this.delegate = delegate;
        this.namespace = namespace;
        this.metrics = metrics;
        this.rateGuard = rateLimit.enabled() ? new RateLimiter(rateLimit.eventsPerSecond(), rateLimit.burst(),
                rateLimit.disconnectAfterSeconds(), System.nanoTime()) : null;
        this.eventsPerSecond = rateLimit.eventsPerSecond();
    }

    /** The engine's socket behind the guard (for engine calls that need their own socket back). */
    Socket unwrap() {
        return delegate;
    }

    @Override
    public boolean recovered() {
        return delegate.recovered();
    }

    @Override
    public boolean receivesOffsets() {
        return delegate.receivesOffsets();
    }

    @Override
    public void requestOffsets() {
        delegate.requestOffsets();
    }

    @Override
    public String connectionId() {
        return delegate.connectionId();
    }

    @Override
    public String transport() {
        return delegate.transport();
    }

    /** Events with no handler are still counted and rate-limited (then ignored, as Node does). */
    void installDefaultAnyHandler() {
        if (!anyHandlerSet) {
            delegate.onAny(guard(event -> { }));
        }
    }

    private EventHandler guard(EventHandler handler) {
        return event -> {
            if (admit(event)) {
                handler.handle(new GuardedEvent(event, this));
            }
        };
    }

    private boolean admit(Event event) {
        metrics.eventIn();
        if (rateGuard == null) {
            return true;
        }
        RateLimiter.Verdict verdict = rateGuard.onEvent(System.nanoTime());
        if (verdict == RateLimiter.Verdict.ALLOW) {
            return true;
        }
        namespace.countRateLimited();
        String message = "too many events: at most " + eventsPerSecond + " per second; event dropped";
        switch (verdict) {
            case DROP -> {
                if (event.wantsAck()) {
                    event.ack(Map.of("ok", false, "code", "RATE_LIMITED", "message", message));
                }
            }
            case DROP_FIRST_THIS_SECOND -> {
                if (!throttleLogged) {
                    throttleLogged = true;
                    log.warn("events dropped namespace={} socketId={} reason=rate_limited limitPerSec={}",
                            namespace.name(), id(), eventsPerSecond);
                }
                ClientErrors.send(event, "RATE_LIMITED", message);
            }
            case DISCONNECT -> {
                log.warn("socket disconnected namespace={} socketId={} reason=sustained_rate_limit limitPerSec={}",
                        namespace.name(), id(), eventsPerSecond);
                ClientErrors.send(event, "RATE_LIMITED", "too many events for too long; disconnecting");
                delegate.disconnect(false);
            }
            default -> throw new IllegalStateException(verdict.name());
        }
        return false;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public Namespace namespace() {
        return namespace;
    }

    @Override
    public Handshake handshake() {
        return delegate.handshake();
    }

    @Override
    public Map<String, Object> data() {
        return delegate.data();
    }

    @Override
    public Socket on(String event, EventHandler handler) {
        delegate.on(event, guard(handler));
        return this;
    }

    @Override
    public Socket onAny(EventHandler handler) {
        anyHandlerSet = true;
        delegate.onAny(guard(handler));
        return this;
    }

    @Override
    public Socket use(dev.switchboard.socketio.EventInterceptor interceptor) {
        delegate.use(interceptor);
        return this;
    }

    @Override
    public Socket onDisconnect(Consumer<String> handler) {
        delegate.onDisconnect(handler);
        return this;
    }

    @Override
    public void emit(String event, Object... args) {
        delegate.emit(event, args);
        metrics.eventsOut(1);
    }

    @Override
    public CompletableFuture<List<JsonNode>> emitWithAck(String event, Duration timeout, Object... args) {
        metrics.eventsOut(1);
        return delegate.emitWithAck(event, timeout, args);
    }

    @Override
    public boolean emitVolatile(String event, Object... args) {
        boolean queued = delegate.emitVolatile(event, args);
        if (queued) {
            metrics.eventsOut(1);
        }
        return queued;
    }

    @Override
    public void join(String room) {
        delegate.join(room);
    }

    @Override
    public void leave(String room) {
        delegate.leave(room);
    }

    @Override
    public Set<String> rooms() {
        return delegate.rooms();
    }

    @Override
    public BroadcastOperator to(String... rooms) {
        return new CountingBroadcast(delegate.to(rooms), metrics);
    }

    @Override
    public boolean connected() {
        return delegate.connected();
    }

    @Override
    public void disconnect(boolean closeConnection) {
        delegate.disconnect(closeConnection);
    }
}
