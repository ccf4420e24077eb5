package dev.switchboard.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.engineio.EngineSocket;
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

    /** Disconnect reasons after which the session is kept for recovery (Node's list, plus our slow consumer). */
    private static final Set<String> RECOVERABLE = Set.of("transport error", "transport close", "forced close",
            "ping timeout", "server shutting down", "forced server close", EngineSocket.SLOW_CONSUMER);

    private final String id;
    private final String pid; // private session id for recovery; null when recovery is off
    private final boolean recovered;
    private final NamespaceImpl namespace;
    private final ClientConnection client;
    private final Handshake handshake;
    private final SerialExecutor queue;
    private final AckRegistry acks;
    private final Map<String, Object> data = new ConcurrentHashMap<>();
    private final Map<String, EventHandler> handlers = new ConcurrentHashMap<>();
    private final List<Consumer<String>> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final Set<String> pendingRooms = new java.util.HashSet<>();
    private volatile EventHandler anyHandler;

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
        this.queue = pool.newSerialQueue();
        this.acks = new AckRegistry(pool);
    }

    SerialExecutor queue() {
        return queue;
    }

    ClientConnection client() {
        return client;
    }

    int state() {
        return state.get();
    }

    boolean markConnected() {
        synchronized (pendingRooms) {
            return state.compareAndSet(PENDING, CONNECTED);
        }
    }

    boolean markRefused() {
        return state.compareAndSet(PENDING, REFUSED);
    }

    @Override
    public String id() {
        return id;
    }

    String pid() {
        return pid;
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
        synchronized (pendingRooms) {
            pendingRooms.addAll(rooms);
        }
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
        return data;
    }

    @Override
    public Socket on(String event, EventHandler handler) {
        handlers.put(event, handler);
        return this;
    }

    @Override
    public Socket onAny(EventHandler handler) {
        anyHandler = handler;
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
        if (state.get() == CONNECTED) {
            client.send(namespace.encoder().encodeEvent(namespace.name(), event, args, Packet.NO_ACK));
        }
    }

    @Override
    public CompletableFuture<List<JsonNode>> emitWithAck(String event, Duration timeout, Object... args) {
        ReservedEvents.check(event);
        CompletableFuture<List<JsonNode>> future = new CompletableFuture<>();
        if (state.get() != CONNECTED) {
            future.completeExceptionally(new IllegalStateException("socket not connected"));
            return future;
        }
        Duration effective = timeout != null ? timeout : namespace.defaultAckTimeout();
        long ackId = acks.register(future, effective);
        EngineMessage[] messages;
        try {
            messages = namespace.encoder().encodeEvent(namespace.name(), event, args, ackId);
        } catch (RuntimeException e) {
            acks.cancel(ackId);
            throw e;
        }
        client.send(messages);
        if (state.get() != CONNECTED) { // disconnected meanwhile: failAll may have run before register
            acks.failAll("disconnected");
        }
        return future;
    }

    @Override
    public boolean emitVolatile(String event, Object... args) {
        ReservedEvents.check(event);
        if (state.get() != CONNECTED) {
            return false;
        }
        return client.sendVolatile(namespace.encoder().encodeEvent(namespace.name(), event, args, Packet.NO_ACK));
    }

    void sendAck(long ackId, Object[] args) {
        if (state.get() == CONNECTED) {
            client.send(namespace.encoder().encodeAck(namespace.name(), ackId, args));
        }
    }

    /** Pre-encoded broadcast messages; false when not admitted or (volatile) dropped. */
    boolean deliver(EngineMessage[] messages, boolean volatile_) {
        if (state.get() != CONNECTED) {
            return false;
        }
        if (volatile_) {
            return client.sendVolatile(messages);
        }
        client.send(messages);
        return true;
    }

    @Override
    public void join(String room) {
        synchronized (pendingRooms) {
            if (state.get() == PENDING) { // joined by middleware: applied on admission, dropped on refusal
                pendingRooms.add(room);
                return;
            }
        }
        if (state.get() == CONNECTED) {
            namespace.adapter().addAll(id, Set.of(room));
            if (state.get() != CONNECTED) {
                // disconnected meanwhile: onClose already emptied our rooms, so undo this late join
                namespace.adapter().del(id, room);
                return;
            }
            namespace.notifyJoined(room, id);
        }
    }

    /** The rooms an admitted socket starts in: its id room plus any its middleware joined. */
    Set<String> initialRooms() {
        synchronized (pendingRooms) {
            Set<String> rooms = new java.util.HashSet<>(pendingRooms);
            rooms.add(id);
            pendingRooms.clear();
            return rooms;
        }
    }

    @Override
    public void leave(String room) {
        synchronized (pendingRooms) {
            pendingRooms.remove(room);
        }
        namespace.adapter().del(id, room);
        if (state.get() == CONNECTED) {
            namespace.notifyLeft(room, id);
        }
    }

    @Override
    public Set<String> rooms() {
        return namespace.adapter().socketRooms(id);
    }

    @Override
    public BroadcastOperator to(String... rooms) {
        return new RoomBroadcast(namespace, Set.of(rooms), Set.of(id), false);
    }

    @Override
    public boolean connected() {
        return state.get() == CONNECTED;
    }

    @Override
    public void disconnect(boolean closeConnection) {
        if (closeConnection) {
            client.disconnectAll();
        } else if (state.get() == CONNECTED) {
            // detach first, so no broadcast can follow the DISCONNECT (the client would buffer it for its next connect)
            onClose("server namespace disconnect");
            client.engine().send(namespace.encoder().encode(PacketType.DISCONNECT, namespace.name(), Packet.NO_ACK, null));
        }
    }

    /** A packet for this socket, on the I/O thread; events go to the serial queue (bounded per connection). */
    void onPacket(Packet packet, int size) {
        switch (packet.type()) {
            case EVENT -> {
                if (!client.admitInbound(size)) {
                    return;
                }
                ReceivedEvent event = ReceivedEvent.of(this, packet);
                queue.execute(() -> {
                    try {
                        dispatch(event);
                    } finally {
                        client.inboundHandled(size);
                    }
                });
            }
            case ACK -> acks.complete(packet.ackId(), ackArgs(packet.data()));
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

    /**
     * Leaves the namespace now (no more broadcasts), fails pending acks, and queues the disconnect
     * handlers behind the events already received. Idempotent.
     */
    void onClose(String reason) {
        if (!state.compareAndSet(CONNECTED, DISCONNECTED)) {
            return;
        }
        Set<String> rooms = namespace.remove(this);
        client.forget(this);
        if (pid != null && RECOVERABLE.contains(reason)) {
            namespace.saveSession(this, rooms);
        }
        acks.failAll(reason);
        log.info("event=socket_disconnect namespace={} socketId={} sid={} reason=\"{}\"",
                namespace.name(), id, client.engine().id(), reason);
        if (namespace.core().observed()) {
            namespace.core().notifyObservers(o -> o.disconnected(this, reason));
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
        state.compareAndSet(PENDING, REFUSED);
    }

    int pendingAcks() {
        return acks.size();
    }

    @Override
    public String toString() {
        return "Socket[" + namespace.name() + " " + id + "]";
    }
}
