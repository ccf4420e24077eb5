package dev.switchboard.socketio;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.socketio.parser.Packet;
import dev.switchboard.socketio.parser.SocketIoParser;

/** A declared namespace: its middleware, connection handlers, admitted sockets and adapter. */
final class NamespaceImpl implements Namespace, BroadcastTarget {
    private static final Logger log = LoggerFactory.getLogger(NamespaceImpl.class);

    private final String name;
    private final SocketIoCore core;
    private final List<ConnectMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, SocketImpl> sockets = new ConcurrentHashMap<>();
    private final Adapter adapter;
    private final BroadcastListener broadcastListener;
    private final BroadcastJournal journal;
    private final SocketIoMetricsTracker tracker;
    NamespaceImpl(String name, SocketIoCore core, AdapterFactory adapterFactory) {
        this.name = name;
        this.core = core;
        this.journal = new BroadcastJournal(core.newRecoveryStore(name));
        this.broadcastListener = core.newBroadcastListener(name); // before the adapter, which asks for it
        this.tracker = core.newTracker(this); // before the adapter, which asks for it
        this.adapter = adapterFactory.create(this);
    }

    SocketIoCore core() {
        return core;
    }

    boolean recoveryEnabled() {
        return journal.recoveryEnabled();
    }

    @Override
    public String name() {
        return name;
    }

    SocketIoParser.Encoder encoder() {
        return core.encoder();
    }

    Duration defaultAckTimeout() {
        return core.settings().ackTimeout();
    }

    @Override
    public Namespace use(ConnectMiddleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    @Override
    public Namespace onConnection(Consumer<Socket> handler) {
        connectionHandlers.add(handler);
        return this;
    }

    @Override
    public BroadcastOperator to(String... rooms) {
        return new RoomBroadcast(this, RoomBroadcast.roomSet(rooms), Set.of(), false);
    }

    @Override
    public BroadcastOperator except(String... rooms) {
        return new RoomBroadcast(this, Set.of(), RoomBroadcast.roomSet(rooms), false);
    }

    @Override
    public int emit(String event, Object... args) {
        return new RoomBroadcast(this, Set.of(), Set.of(), false).emit(event, args);
    }

    @Override
    public int socketCount() {
        return sockets.size();
    }

    @Override
    public Collection<Socket> sockets() {
        return List.copyOf(sockets.values());
    }

    @Override
    public Socket socket(String id) {
        return sockets.get(id);
    }

    @Override
    public Map<String, Integer> rooms() {
        Map<String, Integer> sizes = new HashMap<>(adapter.roomSizes());
        sizes.keySet().removeIf(sockets::containsKey); // the private per-socket id rooms
        return sizes;
    }

    @Override
    public Adapter adapter() {
        return adapter;
    }

    @Override
    public Namespace history(Predicate<String> rooms, int lastN, Duration maxAge, long maxBytes) {
        journal.addHistory(new RoomHistory(java.util.Objects.requireNonNull(rooms, "rooms"), lastN, maxAge, maxBytes));
        return this;
    }

    @Override
    public boolean hasHistory(String room) {
        return journal.hasHistory(room);
    }

    @Override
    public HistoryReplay replayHistory(Socket socket, String room, String sinceOffset) {
        Long since = null;
        boolean foreign = false;
        if (sinceOffset != null) {
            try {
                long parsed = journal.parse(sinceOffset);
                foreign = parsed == BroadcastJournal.FOREIGN; // e.g. from before a restart: all kept, maybe not all
                since = foreign ? -1L : parsed;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("since must be an offset (the last argument of an event), got \""
                        + (sinceOffset.length() > 40 ? sinceOffset.substring(0, 40) + "..." : sinceOffset) + '"');
            }
        }
        SocketImpl target = sockets.get(socket.id());
        if (target == null) {
            return new HistoryReplay(0, false); // not (or no longer) connected here
        }
        synchronized (journal.lock()) {
            target.join(room);
            RoomHistory.HistoryReplayBatch batch = journal.history(room, since, target.rooms(), target.receivesOffsets());
            if (batch == null) {
                return new HistoryReplay(0, false);
            }
            for (EngineMessage[] messages : batch.messages()) {
                target.deliver(messages, false);
            }
            return new HistoryReplay(batch.messages().size(), batch.complete() && !foreign);
        }
    }

    @Override
    public boolean recordsBroadcastsTo(String room) {
        return journal.recoveryEnabled() || hasHistory(room);
    }

    @Override
    public int receiveRemote(BroadcastPacket packet, BroadcastOptions options) {
        if (!options.local()) {
            throw new IllegalArgumentException("a remote broadcast is delivered on this node only (options.local())");
        }
        return broadcast(packet, options);
    }

    /**
     * Every broadcast of this namespace goes through here. With recovery or history on, a non-volatile one gets
     * its offset, is recorded and delivered under the journal lock (see {@link BroadcastJournal}). The encoding,
     * most of a broadcast's work, is made before the lock when the encoder can append the offset to it (the JSON
     * parser), so that the lock every emitter of the namespace takes is held only for the offset, the record and
     * the queueing; otherwise (MessagePack) it is made under the lock.
     */
    int broadcast(BroadcastPacket packet, BroadcastOptions options) {
        if (options.droppable() || !journal.active()) {
            return adapter.broadcast(packet, options);
        }
        EngineMessage[] plain = core.encoder().appendsArguments() ? encodeNow(packet) : null;
        synchronized (journal.lock()) {
            long offset = journal.nextOffset();
            BroadcastPacket withOffset = packet.withOffset(journal.format(offset));
            EncodedBroadcast encoded = encode(packet, plain, withOffset);
            journal.record(offset, encoded.messages(), encoded::plain, options);
            return adapter.broadcast(withOffset.withEncoding(encoded), options);
        }
    }

    /**
     * A reconnect that asked for recovery: restores the session and admits the socket with its old id, rooms
     * and data, followed by the packets it missed. Middleware is skipped (like Node's default
     * {@code skipMiddlewares}: the private pid proves the client is the one that was admitted). Returns false
     * when the session cannot be restored (the caller then connects a new socket). I/O thread.
     */
    boolean tryRecover(ClientConnection client, Handshake handshake, String pid, String offset) {
        RecoveryStore store = journal.recovery();
        SocketImpl socket;
        synchronized (journal.lock()) {
            long seen;
            try {
                seen = journal.parse(offset);
            } catch (IllegalArgumentException e) {
                seen = BroadcastJournal.FOREIGN;
            }
            RecoveryStore.RestoredSession restored = seen < 0 ? null : store.restore(pid, seen);
            if (restored == null || sockets.containsKey(restored.session().sid())) {
                core.counters().unrecoveredReconnects.increment();
                log.info("event=recovery_miss namespace={} session={}", name, client.engine().logId());
                return false;
            }
            RecoveryStore.SavedSession session = restored.session();
            socket = new SocketImpl(session.sid(), session.pid(), true, this, client, handshake, core.pool());
            socket.data().putAll(session.data());
            socket.restoreRooms(session.rooms());
            if (!client.admitRecovered(socket, restored.missedPackets())) {
                return true; // the connection closed meanwhile: nothing to admit
            }
        }
        core.counters().recoveredSessions.increment();
        socket.queue().execute(() -> runConnectionHandlers(socket));
        return true;
    }

    /** Keeps a disconnected socket's state for recovery. */
    void saveSession(SocketImpl socket, Set<String> rooms) {
        journal.recovery().saveSession(new RecoveryStore.SavedSession(socket.id(), socket.pid(), rooms, socket.data(),
                System.currentTimeMillis()));
    }

    void closeJournal() {
        RecoveryStore store = journal.recovery();
        if (store != null) {
            store.close();
        }
    }

    // ---- BroadcastTarget ----

    @Override
    public EngineMessage[] encode(BroadcastPacket packet) {
        EncodedBroadcast encoded = packet.encoding();
        return encoded != null ? encoded.messages() : encodeNow(packet);
    }

    /**
     * Both encodings of a recorded broadcast: the offset appended to {@code plain} (the encoding without it, made
     * when the encoder can append; a history keeps both); otherwise the offset one now and the other on first need.
     */
    private EncodedBroadcast encode(BroadcastPacket packet, EngineMessage[] plain, BroadcastPacket withOffset) {
        SocketIoParser.Encoder encoder = core.encoder();
        if (plain != null) {
            EngineMessage[] messages = encoder.appendArgument(plain, withOffset.offset());
            if (messages != null) {
                return new EncodedBroadcast(messages, () -> plain);
            }
            return new EncodedBroadcast(encodeNow(withOffset), () -> plain);
        }
        return new EncodedBroadcast(encodeNow(withOffset), () -> encodeNow(packet));
    }

    private EngineMessage[] encodeNow(BroadcastPacket packet) {
        return core.encoder().encodeEvent(name, packet.event(), packet.args(), Packet.NO_ACK);
    }

    @Override
    public boolean deliver(String socketId, EngineMessage[] messages, boolean droppable) {
        SocketImpl socket = sockets.get(socketId);
        return socket != null && socket.deliver(messages, droppable);
    }

    @Override
    public boolean deliver(String socketId, BroadcastPacket packet, EngineMessage[] messages, boolean droppable) {
        SocketImpl socket = sockets.get(socketId);
        if (socket == null) {
            return false;
        }
        EncodedBroadcast encoded = packet.encoding();
        if (encoded != null && encoded.messages() == messages && !socket.receivesOffsets()) {
            messages = encoded.plain(); // exactly what was emitted: the offset only goes to sockets that want it
        }
        return socket.deliver(messages, droppable);
    }

    @Override
    public BroadcastListener broadcastListener() {
        return broadcastListener;
    }

    @Override
    public SocketIoMetricsTracker tracker() {
        return tracker;
    }

    // ---- lifecycle, called by ClientConnection / SocketImpl ----

    /** Runs the middleware on the socket's queue, then admits or refuses it. */
    void connect(SocketImpl socket) {
        socket.queue().execute(() -> runMiddlewareThenAdmit(socket));
    }

    private void runMiddlewareThenAdmit(SocketImpl socket) {
        for (ConnectMiddleware middleware : middlewares) {
            if (socket.state() != SocketImpl.PENDING) {
                return; // connection closed meanwhile
            }
            try {
                middleware.check(socket);
            } catch (ConnectError refusal) {
                socket.client().refuse(socket, refusal.getMessage(), refusal.data());
                return;
            } catch (Throwable t) {
                log.warn("event=middleware_failed namespace={} socketId={} error={}", name, socket.id(), t.toString(), t);
                socket.client().refuse(socket, "server error", null);
                return;
            }
        }
        if (!socket.client().admit(socket)) {
            return;
        }
        runConnectionHandlers(socket);
    }

    private void runConnectionHandlers(SocketImpl socket) {
        for (Consumer<Socket> handler : connectionHandlers) {
            try {
                handler.accept(socket);
            } catch (Throwable t) {
                log.warn("event=connection_handler_failed namespace={} socketId={} error={}",
                        name, socket.id(), t.toString(), t);
            }
        }
    }

    /**
     * Makes an admitted socket visible: in the namespace, in its id room (and rooms its middleware joined).
     * Returns those rooms, for {@link #announce}, or null when the socket was removed meanwhile.
     */
    Set<String> add(SocketImpl socket) {
        sockets.put(socket.id(), socket);
        Set<String> rooms = socket.initialRooms();
        adapter.addAll(socket.id(), rooms);
        if (sockets.get(socket.id()) != socket) {
            adapter.delAll(socket.id()); // removed while we were adding: remove() already ran delAll before our addAll
            return null;
        }
        tracker.socketConnected(socket);
        return rooms;
    }

    /**
     * Tells the observers about a socket {@link #add} made visible. Called outside the connection's monitor: an
     * observer that emits (the Admin UI, on its namespace) takes that namespace's journal lock, which a recovery
     * into it holds while it waits for the connection's monitor. What happened to the socket meanwhile (it may
     * have left already) is told after it, in order ({@link SocketImpl#announce}).
     */
    void announce(SocketImpl socket, Set<String> rooms) {
        socket.announce(() -> {
            if (rooms == null || !core.observed()) {
                return;
            }
            core.notifyObservers(o -> o.connected(socket));
            for (String room : rooms) {
                core.notifyObservers(o -> o.joined(this, room, socket.id()));
            }
        });
    }

    /** Removes the socket; returns the rooms it was in (empty when it was not here). */
    Set<String> remove(SocketImpl socket) {
        if (sockets.remove(socket.id(), socket)) {
            Set<String> rooms = adapter.socketRooms(socket.id());
            adapter.delAll(socket.id());
            if (core.observed()) {
                socket.tellObservers(() -> {
                    for (String room : rooms) {
                        core.notifyObservers(o -> o.left(this, room, socket.id()));
                    }
                });
            }
            return rooms;
        }
        return Set.of();
    }

    void notifyJoined(String room, String socketId) {
        if (core.observed()) {
            core.notifyObservers(o -> o.joined(this, room, socketId));
        }
    }

    void notifyLeft(String room, String socketId) {
        if (core.observed()) {
            core.notifyObservers(o -> o.left(this, room, socketId));
        }
    }
}
