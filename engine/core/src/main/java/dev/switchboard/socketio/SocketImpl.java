package dev.switchboard.socketio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.socketio.parser.DecodedSize;
import dev.switchboard.socketio.parser.Packet;
import dev.switchboard.socketio.parser.PacketType;

/**
 * One client's connection to one namespace. Lifecycle: PENDING (middleware running) then CONNECTED
 * (admitted: in the namespace and its id room) then DISCONNECTED; or PENDING then REFUSED, holding nothing.
 * Events and lifecycle callbacks run on this socket's serial queue.
 */
final class SocketImpl implements Socket {
    private static final Logger log = LoggerFactory.getLogger(SocketImpl.class);

    static final int PENDING = 0;
    static final int CONNECTED = 1;
    static final int DISCONNECTED = 2;
    static final int REFUSED = 3;

    private static final int UNANNOUNCED = 0;
    private static final int ANNOUNCED = 1;
    private static final int NEVER_ANNOUNCED = 2; // left before its announcement: observers never hear of it

    /** Disconnect reasons after which the session is kept for recovery (Node's list, plus our slow consumer). */
    private static final Set<String> RECOVERABLE = Set.of("transport error", "transport close", "forced close",
            "ping timeout", "server shutting down", "forced server close", EngineSocket.SLOW_CONSUMER);

    private final String id;
    private final String pid; // private session id for recovery; null when recovery is off
    private final boolean recovered;
    private volatile boolean offsetsRequested;
    private final NamespaceImpl namespace;
    private final ClientConnection client;
    private final Handshake handshake;
    private final long connectStarted; // System.nanoTime() when its CONNECT arrived
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SocketImpl.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // What every connected socket holds is kept small (docs/benchmarks.md, memory per idle connection): maps are
    // created on first use, handlers live in one array, the state is a plain field behind a VarHandle.
    private final SerialExecutor queue;
    private final WorkerPool pool;
    private volatile AckRegistry acks; // on the first emitWithAck
    private volatile Map<String, Object> data; // on the first data() call
    private volatile HandlerTable handlers = HandlerTable.EMPTY;
    private final List<Consumer<String>> disconnectHandlers = new CopyOnWriteArrayList<>();
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = PENDING;
    private final Object roomLock = new Object();
    private Set<String> pendingRooms; // guarded by roomLock; rooms joined by middleware before admission
    private int announcement = UNANNOUNCED; // guarded by roomLock
    private List<Runnable> heldNews; // guarded by roomLock; observer notifications waiting for the announcement
    private volatile EventHandler anyHandler;
    private volatile EventInterceptor[] interceptors = NO_INTERCEPTORS;
    private static final EventInterceptor[] NO_INTERCEPTORS = new EventInterceptor[0];

    SocketImpl(String id, NamespaceImpl namespace, ClientConnection client, Handshake handshake, WorkerPool pool) {
        this(id, namespace.recoveryEnabled() ? SocketIds.next() : null, false, namespace, client, handshake, pool);
    }

    SocketImpl(String id, String pid, boolean recovered, NamespaceImpl namespace, ClientConnection client,
               Handshake handshake, WorkerPool pool) {
        this.id = id;
        this.pid = pid;
        this.recovered = recovered;
        this.namespace = namespace;
        this.client = client;
        this.handshake = handshake;
        this.connectStarted = System.nanoTime();
        this.queue = pool.newSerialQueue();
        this.pool = pool;
    }

    /** Nanoseconds since this socket's CONNECT arrived. */
    long sinceConnect() {
        return System.nanoTime() - connectStarted;
    }

    private AckRegistry acks() {
        AckRegistry registry = acks;
        if (registry == null) {
            synchronized (roomLock) {
                registry = acks;
                if (registry == null) {
                    registry = new AckRegistry(pool);
                    acks = registry;
                }
            }
        }
        return registry;
    }

    private boolean casState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    SerialExecutor queue() {
        return queue;
    }

    ClientConnection client() {
        return client;
    }

    int state() {
        return state;
    }

    boolean markConnected() {
        synchronized (roomLock) {
            return casState(PENDING, CONNECTED);
        }
    }

    boolean markRefused() {
        return casState(PENDING, REFUSED);
    }

    @Override
    public String id() {
        return id;
    }

    String pid() {
        return pid;
    }

    @Override
    public boolean receivesOffsets() {
        return pid != null || offsetsRequested;
    }

    @Override
    public void requestOffsets() {
        offsetsRequested = true;
    }

    @Override
    public boolean recovered() {
        return recovered;
    }

    @Override
    public String connectionId() {
        return client.engine().id();
    }

    @Override
    public String transport() {
        return client.engine().transportName();
    }

    /** The rooms of a recovered session, applied on admission. */
    void restoreRooms(Set<String> rooms) {
        synchronized (roomLock) {
            pendingRooms().addAll(rooms);
        }
    }

    private Set<String> pendingRooms() {
        if (pendingRooms == null) {
            pendingRooms = new java.util.HashSet<>(4);
        }
        return pendingRooms;
    }

    @Override
    public Namespace namespace() {
        return namespace;
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> map = data;
        if (map == null) {
            synchronized (roomLock) {
                map = data;
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                    data = map;
                }
            }
        }
        return map;
    }

    @Override
    public Socket on(String event, EventHandler handler) {
        synchronized (roomLock) {
            handlers = handlers.with(event, handler);
        }
        return this;
    }

    @Override
    public Socket onAny(EventHandler handler) {
        anyHandler = handler;
        return this;
    }

    @Override
    public Socket use(EventInterceptor interceptor) {
        java.util.Objects.requireNonNull(interceptor, "interceptor");
        synchronized (roomLock) {
            EventInterceptor[] more = java.util.Arrays.copyOf(interceptors, interceptors.length + 1);
            more[interceptors.length] = interceptor;
            interceptors = more;
        }
        return this;
    }

    @Override
    public Socket onDisconnect(Consumer<String> handler) {
        disconnectHandlers.add(handler);
        return this;
    }

    @Override
    public void emit(String event, Object... args) {
        ReservedEvents.check(event);
        if (state == CONNECTED) {
            client.send(namespace.encoder().encodeEvent(namespace.name(), event, args, Packet.NO_ACK));
            namespace.tracker().eventsSent(1);
        }
    }

    @Override
    public CompletableFuture<List<JsonNode>> emitWithAck(String event, Duration timeout, Object... args) {
        ReservedEvents.check(event);
        CompletableFuture<List<JsonNode>> future = new CompletableFuture<>();
        if (state != CONNECTED) {
            future.completeExceptionally(new IllegalStateException("socket not connected"));
            return future;
        }
        Duration effective = timeout != null ? timeout : namespace.defaultAckTimeout();
        AckRegistry registry = acks();
        long ackId = registry.register(future, effective);
        EngineMessage[] messages;
        try {
            messages = namespace.encoder().encodeEvent(namespace.name(), event, args, ackId);
        } catch (RuntimeException e) {
            registry.cancel(ackId);
            throw e;
        }
        client.send(messages);
        namespace.tracker().eventsSent(1);
        if (state != CONNECTED) { // disconnected meanwhile: failAll may have run before register
            registry.failAll("disconnected");
        }
        return future;
    }

    @Override
    public boolean emitVolatile(String event, Object... args) {
        ReservedEvents.check(event);
        if (state != CONNECTED) {
            return false;
        }
        boolean queued = client.sendVolatile(namespace.encoder().encodeEvent(namespace.name(), event, args, Packet.NO_ACK));
        if (queued) {
            namespace.tracker().eventsSent(1);
        }
        return queued;
    }

    void sendAck(long ackId, Object[] args) {
        if (state == CONNECTED) {
            client.send(namespace.encoder().encodeAck(namespace.name(), ackId, args));
        }
    }

    /** Pre-encoded broadcast messages; false when not admitted or (volatile) dropped. */
    boolean deliver(EngineMessage[] messages, boolean droppable) {
        if (state != CONNECTED) {
            return false;
        }
        if (droppable) {
            return client.sendVolatile(messages);
        }
        client.send(messages);
        return true;
    }

    @Override
    public void join(String room) {
        synchronized (roomLock) {
            if (state == PENDING) { // joined by middleware: applied on admission, dropped on refusal
                pendingRooms().add(room);
                return;
            }
        }
        if (state == CONNECTED) {
            namespace.adapter().addAll(id, Set.of(room));
            if (state != CONNECTED) {
                // disconnected meanwhile: onClose already emptied our rooms, so undo this late join
                namespace.adapter().del(id, room);
                return;
            }
            if (namespace.core().observed()) {
                tellObservers(() -> namespace.notifyJoined(room, id));
            }
        }
    }

    /**
     * Tells the observers of this socket's admission ({@code admission}: connected, its first rooms), then what
     * happened to it meanwhile, so that they hear of it in order although the client may already act on its
     * CONNECT reply (leave, close the transport) on another thread. Nothing when it left before.
     */
    void announce(Runnable admission) {
        synchronized (roomLock) {
            if (state != CONNECTED) {
                announcement = NEVER_ANNOUNCED;
                heldNews = null;
                return;
            }
        }
        admission.run();
        while (true) {
            List<Runnable> held;
            synchronized (roomLock) {
                held = heldNews;
                heldNews = null;
                if (held == null) {
                    announcement = ANNOUNCED;
                    return;
                }
            }
            held.forEach(Runnable::run);
        }
    }

    /** Tells the observers of a change of this socket now, or after its {@link #announce announcement}. */
    void tellObservers(Runnable news) {
        synchronized (roomLock) {
            if (announcement == NEVER_ANNOUNCED) {
                return;
            }
            if (announcement == UNANNOUNCED) {
                if (heldNews == null) {
                    heldNews = new java.util.ArrayList<>(2);
                }
                heldNews.add(news);
                return;
            }
        }
        news.run();
    }

    /** The rooms an admitted socket starts in: its id room plus any its middleware joined. */
    Set<String> initialRooms() {
        synchronized (roomLock) {
            if (pendingRooms == null || pendingRooms.isEmpty()) {
                pendingRooms = null;
                return Set.of(id);
            }
            Set<String> rooms = new java.util.HashSet<>(pendingRooms);
            rooms.add(id);
            pendingRooms = null;
            return rooms;
        }
    }

    @Override
    public void leave(String room) {
        synchronized (roomLock) {
            if (pendingRooms != null) {
                pendingRooms.remove(room);
            }
        }
        namespace.adapter().del(id, room);
        if (state == CONNECTED) {
            if (namespace.core().observed()) {
                tellObservers(() -> namespace.notifyLeft(room, id));
            }
        }
    }

    @Override
    public Set<String> rooms() {
        return namespace.adapter().socketRooms(id);
    }

    @Override
    public BroadcastOperator to(String... rooms) {
        return new RoomBroadcast(namespace, RoomBroadcast.roomSet(rooms), Set.of(id), false);
    }

    @Override
    public boolean connected() {
        return state == CONNECTED;
    }

    @Override
    public void disconnect(boolean closeConnection) {
        if (closeConnection) {
            client.disconnectAll();
        } else if (state == CONNECTED) {
            // detach first, so no broadcast can follow the DISCONNECT (the client would buffer it for its next connect)
            onClose("server namespace disconnect");
            client.engine().send(namespace.encoder().encode(PacketType.DISCONNECT, namespace.name(), Packet.NO_ACK, null));
        }
    }

    /**
     * A packet for this socket, on the I/O thread; events go to the serial queue (bounded per connection). An event
     * counts there as the heap its decoded tree holds, or its wire size when that is more: 1 MB of {@code [{},...]}
     * is ~25 MB of nodes, and the rate limit (an interceptor) only runs once the event leaves the queue.
     */
    void onPacket(Packet packet, int size) {
        switch (packet.type()) {
            case EVENT -> {
                long held = Math.max(size, DecodedSize.of(packet.data()));
                if (!client.admitInbound(held)) {
                    return;
                }
                ReceivedEvent event = ReceivedEvent.of(this, packet);
                queue.execute(() -> {
                    try {
                        dispatch(event);
                    } finally {
                        client.inboundHandled(held);
                    }
                });
            }
            case ACK -> {
                AckRegistry registry = acks;
                if (registry != null) { // an ACK for an id we never sent is ignored, as Node does
                    registry.complete(packet.ackId(), ackArgs(packet.data()));
                }
            }
            case DISCONNECT -> onClose("client namespace disconnect");
            default -> { } // CONNECT / CONNECT_ERROR never reach an admitted socket
        }
    }

    private static List<JsonNode> ackArgs(JsonNode data) {
        if (data == null || data.isEmpty()) {
            return List.of();
        }
        JsonNode[] args = new JsonNode[data.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = data.get(i);
        }
        return List.of(args);
    }

    private void dispatch(ReceivedEvent event) {
        namespace.tracker().eventReceived(event);
        if (!intercepted(event)) {
            return;
        }
        EventHandler handler = handlers.get(event.name());
        if (handler == null) {
            handler = anyHandler;
        }
        if (handler == null) {
            log.debug("event=unhandled namespace={} socketId={} name={}", namespace.name(), id, event.name());
            return;
        }
        try {
            handler.handle(event);
        } catch (Throwable t) {
            log.warn("event=handler_failed namespace={} socketId={} name={} error={}",
                    namespace.name(), id, event.name(), t.toString(), t);
        }
    }

    /** Runs the interceptors; false when one dropped the event. */
    private boolean intercepted(ReceivedEvent event) {
        for (EventInterceptor interceptor : interceptors) {
            try {
                interceptor.intercept(event);
            } catch (EventRefusal refusal) {
                namespace.tracker().eventRefused(event, refusal.reason());
                log.debug("event=event_refused namespace={} socketId={} name={} reason={}",
                        namespace.name(), id, event.name(), refusal.reason());
                return false;
            } catch (Throwable t) {
                namespace.tracker().eventRefused(event, "interceptor_failed");
                log.warn("event=interceptor_failed namespace={} socketId={} name={} error={}",
                        namespace.name(), id, event.name(), t.toString(), t);
                return false;
            }
        }
        return true;
    }

    /**
     * Leaves the namespace now (no more broadcasts), fails pending acks, and queues the disconnect
     * handlers behind the events already received. Idempotent.
     */
    void onClose(String reason) {
        if (!casState(CONNECTED, DISCONNECTED)) {
            return;
        }
        Set<String> rooms = namespace.remove(this);
        client.forget(this);
        if (pid != null && RECOVERABLE.contains(reason)) {
            namespace.saveSession(this, rooms);
        }
        AckRegistry registry = acks;
        if (registry != null) {
            registry.failAll(reason);
        }
        log.info("event=socket_disconnect namespace={} socketId={} session={} reason=\"{}\"",
                namespace.name(), id, client.engine().logId(), reason);
        namespace.tracker().socketDisconnected(this, reason);
        if (namespace.core().observed()) {
            tellObservers(() -> namespace.core().notifyObservers(o -> o.disconnected(this, reason)));
        }
        queue.execute(() -> {
            for (Consumer<String> handler : disconnectHandlers) {
                try {
                    handler.accept(reason);
                } catch (Throwable t) {
                    log.warn("event=disconnect_handler_failed namespace={} socketId={} error={}",
                            namespace.name(), id, t.toString(), t);
                }
            }
        });
    }

    /** The connection closed before the middleware finished: the socket never becomes connected. */
    void abandon() {
        casState(PENDING, REFUSED);
    }

    int pendingAcks() {
        AckRegistry registry = acks;
        return registry == null ? 0 : registry.size();
    }

    @Override
    public String toString() {
        return "Socket[" + namespace.name() + " " + id + "]";
    }
}
