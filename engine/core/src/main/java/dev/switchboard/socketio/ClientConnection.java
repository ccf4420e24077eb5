package dev.switchboard.socketio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.socketio.parser.Packet;
import dev.switchboard.socketio.parser.PacketParseException;
import dev.switchboard.socketio.parser.PacketType;
import dev.switchboard.socketio.parser.SocketIoParser;

/**
 * One Engine.IO session seen by Socket.IO: decodes its packets (on the I/O thread, in order) and routes them
 * to the namespace sockets multiplexed on it. Closes the session on a parse error, on a packet that makes no
 * sense in the current state, and when no namespace was joined within connectTimeout.
 */
final class ClientConnection implements EngineSocket.Listener {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    /** Disconnect reason of a session closed at the outbound hard bound (see docs/slow-consumers.md). */

    private static final AtomicIntegerFieldUpdater<ClientConnection> PENDING_EVENTS =
            AtomicIntegerFieldUpdater.newUpdater(ClientConnection.class, "pendingEvents");
    private static final AtomicLongFieldUpdater<ClientConnection> PENDING_BYTES =
            AtomicLongFieldUpdater.newUpdater(ClientConnection.class, "pendingBytes");
    private static final AtomicIntegerFieldUpdater<ClientConnection> INBOUND_OVERFLOW =
            AtomicIntegerFieldUpdater.newUpdater(ClientConnection.class, "inboundOverflow");
    private static final AtomicLongFieldUpdater<ClientConnection> UNFINISHED_CHARGED =
            AtomicLongFieldUpdater.newUpdater(ClientConnection.class, "unfinishedCharged");
    private static final AtomicIntegerFieldUpdater<ClientConnection> ATTACHMENTS_CHECK_ARMED =
            AtomicIntegerFieldUpdater.newUpdater(ClientConnection.class, "attachmentsCheckArmed");
    private static final long NO_UNFINISHED_PACKET = Long.MIN_VALUE;

    // Counters are fields behind updaters and the namespace maps immutable copies (a client joins one or two
    // namespaces): what every idle connection holds stays small (see docs/benchmarks.md).
    private volatile int pendingEvents;
    private volatile long pendingBytes;
    private volatile int inboundOverflow;
    private volatile long unfinishedCharged; // taken from the server's UnfinishedPackets budget; given back at close
    private volatile long unfinishedSince = NO_UNFINISHED_PACKET; // System.nanoTime of the waiting packet's header
    private volatile int attachmentsCheckArmed; // at most one deadline check scheduled per connection
    private volatile ScheduledFuture<?> attachmentsCheck;
    private final EngineSocket engine;
    private final SocketIoCore core;
    private final SocketIoParser.Decoder decoder;
    private volatile Map<String, SocketImpl> sockets = Map.of(); // admitted, by namespace; replaced under this
    private volatile Map<String, SocketImpl> pending = Map.of(); // middleware running; replaced under this
    private boolean closed; // guarded by this
    private long reassembled = -1; // I/O thread: bytes so far of the binary packet awaiting attachments; -1: none
    private volatile ScheduledFuture<?> connectTimer;

    ClientConnection(EngineSocket engine, SocketIoCore core) {
        this.engine = engine;
        this.core = core;
        this.decoder = core.newDecoder();
    }

    EngineSocket engine() {
        return engine;
    }

    /**
     * Queues packets for this client. The engine is the one judge of its outbound bound: past the hard bound it
     * closes the session (queued packets dropped) with reason {@value EngineSocket#SLOW_CONSUMER}, and
     * {@link #onClose} disconnects the sockets with that reason.
     */
    void send(EngineMessage[] messages) {
        engine.send(messages);
    }

    /** Queues packets unless the client is over its soft bound (or not writable); counts the drops. */
    boolean sendVolatile(EngineMessage[] messages) {
        if (engine.sendVolatile(messages)) {
            return true;
        }
        core.counters().droppedVolatile.increment();
        return false;
    }

    void start() {
        connectTimer = core.pool().schedule(core.settings().connectTimeout(), this::onConnectTimeout);
        engine.setListener(this);
        if (engine.protocol() == 3) {
            connect("/", null); // socket.io-client 2.x joins the main namespace without sending CONNECT
        }
    }

    // ---- EngineSocket.Listener (I/O thread, one call at a time) ----

    @Override
    public void onMessage(String text) {
        Packet packet;
        try {
            packet = decoder.decodeText(text);
        } catch (PacketParseException e) {
            parseError(e);
            return;
        }
        if (packet != null) {
            route(packet, text.length());
        } else {
            reassembled = text.length(); // a binary packet's header: its attachments follow
            unfinishedSince = System.nanoTime();
            if (holdUnfinished()) {
                armAttachmentsCheck(core.unfinishedPackets().timeout().toNanos());
            }
        }
    }

    /**
     * An attachment of the binary packet being reassembled (or a whole MessagePack packet). Each message is within
     * maxPayload on its own: the packet as a whole is held to the same bound, as a polling body holding it already
     * is, and counts in full against the inbound bound.
     */
    @Override
    public void onBinary(byte[] data) {
        long size = Math.max(reassembled, 0) + data.length;
        if (reassembled >= 0 && size > core.settings().maxPacketBytes()) {
            log.info("event=packet_too_large session={} bytes={} maxPacketBytes={}", engine.logId(), size,
                    core.settings().maxPacketBytes());
            reassembled = -1;
            closeConnection("parse error");
            return;
        }
        Packet packet;
        try {
            packet = decoder.decodeBinary(data);
        } catch (PacketParseException e) {
            endWaitingPacket();
            parseError(e);
            return;
        }
        if (packet == null) {
            reassembled = size;
            holdUnfinished();
            return;
        }
        endWaitingPacket();
        route(packet, (int) size);
    }

    /** The binary packet waiting for attachments, if one was (not for a whole MessagePack packet), ended. */
    private void endWaitingPacket() {
        if (reassembled >= 0) {
            reassembled = -1;
            finishUnfinished();
        }
    }

    // ---- binary packets waiting for their attachments (see UnfinishedPackets) ----

    /**
     * Charges what the waiting packet now holds to the server-wide budget; past it the connection is closed as a
     * parse error and false returned.
     */
    private boolean holdUnfinished() {
        UnfinishedPackets unfinished = core.unfinishedPackets();
        long holds = decoder.unfinishedHeapBytes();
        long more = holds - unfinishedCharged;
        if (!unfinished.charge(more)) {
            long notLogged = unfinished.passLog();
            if (notLogged >= 0) {
                log.warn("event=unfinished_packets_over_budget session={} bytes={} heldByAll={} budget={} remote={} notLogged={}",
                        engine.logId(), holds, unfinished.held(), unfinished.budget(), engine.request().remoteAddress(),
                        notLogged);
            }
            closeConnection("parse error");
            return false;
        }
        UNFINISHED_CHARGED.addAndGet(this, more);
        if (isClosed()) {
            unfinished.release(UNFINISHED_CHARGED.getAndSet(this, 0)); // closed meanwhile: onClose gave back the rest
        }
        return true;
    }

    /** The waiting packet completed or failed: its charge goes back to the budget. */
    private void finishUnfinished() {
        unfinishedSince = NO_UNFINISHED_PACKET;
        core.unfinishedPackets().release(UNFINISHED_CHARGED.getAndSet(this, 0));
    }

    private void armAttachmentsCheck(long delayNanos) {
        if (ATTACHMENTS_CHECK_ARMED.compareAndSet(this, 0, 1)) {
            attachmentsCheck = core.pool().schedule(Duration.ofNanos(delayNanos), this::onAttachmentsCheck);
        }
    }

    /**
     * Timer thread. One check per connection, never one per packet (a cancelled task would stay queued until its
     * time): it closes a connection whose waiting packet is past the deadline, or re-arms for the packet waiting now.
     */
    private void onAttachmentsCheck() {
        ATTACHMENTS_CHECK_ARMED.set(this, 0);
        long since = unfinishedSince;
        if (since == NO_UNFINISHED_PACKET || isClosed()) {
            return;
        }
        long left = since + core.unfinishedPackets().timeout().toNanos() - System.nanoTime();
        if (left > 0) {
            armAttachmentsCheck(left);
            return;
        }
        log.info("event=attachments_timeout session={} heldBytes={} timeoutMs={}", engine.logId(), unfinishedCharged,
                core.unfinishedPackets().timeout().toMillis());
        closeConnection("parse error");
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Estimated heap held by this connection's binary packet waiting for attachments (0: none). */
    long unfinishedHeapBytes() {
        return decoder.unfinishedHeapBytes();
    }

    @Override
    public void onClose(String reason) {
        List<SocketImpl> admitted;
        List<SocketImpl> waiting;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            admitted = new ArrayList<>(sockets.values());
            waiting = new ArrayList<>(pending.values());
            pending = Map.of();
        }
        cancelConnectTimer();
        finishUnfinished();
        ScheduledFuture<?> check = attachmentsCheck;
        if (check != null) {
            check.cancel(false);
        }
        if (EngineSocket.SLOW_CONSUMER.equals(reason)) {
            core.counters().slowConsumerDisconnects.increment();
        }
        for (SocketImpl socket : waiting) {
            socket.abandon();
        }
        for (SocketImpl socket : admitted) {
            socket.onClose(reason);
        }
        core.removeClient(this);
    }

    /**
     * Counts a received event ({@code size}: what it holds, see SocketImpl.onPacket) against the connection's
     * inbound bound; false (and the connection closed, once) when the client is sending faster than its handlers
     * run. An event with none pending is always let in: its tree is already decoded, and one event within maxPayload
     * was always handled, whatever its shape. Pair every true with {@link #inboundHandled}.
     */
    boolean admitInbound(long size) {
        int events = PENDING_EVENTS.incrementAndGet(this);
        long bytes = PENDING_BYTES.addAndGet(this, size);
        InboundLimit limit = core.settings().inboundLimit();
        if (events == 1 || (events <= limit.maxPendingEvents() && bytes <= limit.maxPendingBytes())) {
            return true;
        }
        inboundHandled(size);
        if (INBOUND_OVERFLOW.compareAndSet(this, 0, 1)) {
            log.warn("event=inbound_overflow session={} pendingEvents={} pendingBytes={} remote={}", engine.logId(), events,
                    bytes, engine.request().remoteAddress());
            closeConnection("forced close");
        }
        return false;
    }

    int pendingInboundEvents() {
        return pendingEvents;
    }

    void inboundHandled(long size) {
        PENDING_EVENTS.decrementAndGet(this);
        PENDING_BYTES.addAndGet(this, -size);
    }

    // ---- routing ----

    /** {@code size}: the packet's wire size, for the inbound bound. */
    private void route(Packet packet, int size) {
        String namespace = packet.namespace();
        JsonNode auth = packet.data();
        if (engine.protocol() == 3) {
            int q = namespace.indexOf('?');
            if (q >= 0) { // parser v3 carries the namespace query in the CONNECT packet
                auth = queryToJson(namespace.substring(q + 1));
                namespace = namespace.substring(0, q);
            }
        }
        SocketImpl socket = sockets.get(namespace);
        PacketType type = packet.type();
        if (socket == null && type == PacketType.CONNECT && size > core.settings().maxConnectBytes()) {
            // its auth would be kept by the socket: held to the bound of what a handshake keeps
            logRefused(namespace, "auth payload too large", size);
            sendConnectError(namespace, "auth payload too large", Map.of("code", "PAYLOAD_TOO_LARGE"));
        } else if (socket == null && type == PacketType.CONNECT) {
            connect(namespace, auth);
        } else if (socket != null && type != PacketType.CONNECT && type != PacketType.CONNECT_ERROR) {
            socket.onPacket(packet, size);
        } else {
            log.info("event=invalid_state session={} namespace={} packetType={}", engine.logId(),
                    LogValue.shorten(namespace), type);
            closeConnection("forced close");
        }
    }

    private void connect(String name, JsonNode auth) {
        if (pending.containsKey(name)) {
            log.info("event=invalid_state session={} namespace={} packetType=CONNECT detail=duplicate", engine.logId(),
                    LogValue.shorten(name));
            closeConnection("forced close");
            return;
        }
        NamespaceImpl namespace = core.namespace(name);
        if (namespace == null || core.isClosing()) {
            logRefused(name, "Invalid namespace", -1);
            sendConnectError(name, "Invalid namespace", null);
            return;
        }
        ConnectHandshake handshake = new ConnectHandshake(engine.request(), auth);
        if (namespace.recoveryEnabled() && auth != null && auth.path("pid").isTextual() && auth.path("offset").isTextual()) {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            if (namespace.tryRecover(this, handshake, auth.get("pid").textValue(), auth.get("offset").textValue())) {
                return;
            }
        }
        SocketImpl socket = new SocketImpl(SocketIds.next(), namespace, this, handshake, core.pool());
        synchronized (this) {
            if (closed) {
                return;
            }
            pending = with(pending, name, socket);
        }
        namespace.connect(socket);
    }

    /**
     * A CONNECT refused before any socket exists: logged at most once a second per server (one polling body may carry
     * thousands), the client's namespace name made short and kept on one line.
     */
    private void logRefused(String namespace, String reason, int bytes) {
        long heldBack = core.connectRefusals().pass();
        if (heldBack >= 0) {
            log.info("event=socket_refused namespace={} session={} reason=\"{}\" bytes={} notLogged={}",
                    LogValue.shorten(namespace), engine.logId(), reason, bytes, heldBack);
        }
    }

    /** Admits a socket whose middleware passed; false when the connection closed meanwhile. Worker thread. */
    boolean admit(SocketImpl socket) {
        NamespaceImpl namespace = (NamespaceImpl) socket.namespace();
        Set<String> rooms;
        synchronized (this) {
            pending = without(pending, namespace.name(), socket);
            if (closed || !socket.markConnected()) {
                socket.abandon();
                return false;
            }
            rooms = namespace.add(socket);
            sockets = with(sockets, namespace.name(), socket);
            // registered before the reply goes out, so the client's first events find the socket (a broadcast
            // may precede the reply: socket.io-client buffers packets of a namespace until its CONNECT arrives)
            engine.send(connectReply(socket));
        }
        namespace.announce(socket, rooms);
        namespace.tracker().connectAnswered(socket.sinceConnect());
        cancelConnectTimer();
        log.info("event=socket_connect namespace={} socketId={} session={} transport={} protocol={}",
                namespace.name(), socket.id(), engine.logId(), engine.transportName(), engine.protocol());
        return true;
    }

    private EngineMessage[] connectReply(SocketImpl socket) {
        Object reply;
        if (engine.protocol() == 3) {
            reply = null;
        } else if (socket.pid() != null) {
            reply = Map.of("sid", socket.id(), "pid", socket.pid());
        } else {
            reply = Map.of("sid", socket.id());
        }
        return core.encoder().encode(PacketType.CONNECT, socket.namespace().name(), Packet.NO_ACK, reply);
    }

    /**
     * Admits a recovered socket: CONNECT {sid, pid}, then the packets it missed, in order. Called with the
     * namespace's journal lock held (no broadcast can slip in between). False when the connection closed.
     */
    boolean admitRecovered(SocketImpl socket, List<EngineMessage[]> missed) {
        NamespaceImpl namespace = (NamespaceImpl) socket.namespace();
        Set<String> rooms;
        synchronized (this) {
            if (closed || pending.containsKey(namespace.name()) || !socket.markConnected()) {
                socket.abandon();
                return false;
            }
            rooms = namespace.add(socket);
            sockets = with(sockets, namespace.name(), socket);
            engine.send(connectReply(socket));
        }
        namespace.announce(socket, rooms);
        for (EngineMessage[] messages : missed) {
            send(messages);
        }
        cancelConnectTimer();
        log.info("event=socket_recovered namespace={} socketId={} session={} transport={} missedPackets={}",
                namespace.name(), socket.id(), engine.logId(), engine.transportName(), missed.size());
        return true;
    }

    /** Refuses a pending socket: CONNECT_ERROR, and it holds nothing. Worker thread. */
    void refuse(SocketImpl socket, String message, Object data) {
        if (!socket.markRefused()) {
            return;
        }
        String namespace = socket.namespace().name();
        synchronized (this) {
            pending = without(pending, namespace, socket);
        }
        log.info("event=socket_refused namespace={} socketId={} session={} reason=\"{}\"",
                namespace, socket.id(), engine.logId(), message);
        sendConnectError(namespace, message, data);
    }

    private void sendConnectError(String namespace, String message, Object data) {
        Object payload;
        if (engine.protocol() == 3) {
            payload = data != null ? data : message; // socket.io 2.x: a plain value (Node: err.data || err.message)
        } else {
            Map<String, Object> error = new LinkedHashMap<>(2);
            error.put("message", message == null ? "" : message);
            if (data != null) {
                error.put("data", data);
            }
            payload = error;
        }
        EngineMessage[] messages;
        try {
            messages = core.encoder().encode(PacketType.CONNECT_ERROR, namespace, Packet.NO_ACK, payload);
        } catch (IllegalArgumentException e) {
            log.warn("event=connect_error_data_unserializable namespace={} error={}", namespace, e.toString());
            messages = core.encoder().encode(PacketType.CONNECT_ERROR, namespace, Packet.NO_ACK,
                    engine.protocol() == 3 ? message : Map.of("message", message == null ? "" : message));
        }
        engine.send(messages);
    }

    /** Called by a socket that left its namespace. */
    void forget(SocketImpl socket) {
        synchronized (this) {
            sockets = without(sockets, socket.namespace().name(), socket);
        }
    }

    /** Socket.disconnect(true): every namespace gets DISCONNECT, then the session is closed. */
    void disconnectAll() {
        for (SocketImpl socket : new ArrayList<>(sockets.values())) {
            socket.disconnect(false);
        }
        closeConnection("forced close");
    }

    /** Closes the Engine.IO session (its pending packets are flushed first) and every socket on it. */
    void closeConnection(String reason) {
        engine.close(reason);
        onClose(reason);
    }

    private void parseError(PacketParseException e) {
        log.info("event=parse_error session={} error=\"{}\"", engine.logId(), e.getMessage());
        closeConnection("parse error");
    }

    private void onConnectTimeout() {
        if (sockets.isEmpty()) {
            log.info("event=connect_timeout session={}", engine.logId());
            closeConnection("forced close");
        }
    }

    private void cancelConnectTimer() {
        ScheduledFuture<?> timer = connectTimer;
        if (timer != null) {
            timer.cancel(false);
            connectTimer = null; // not kept for the connection's lifetime
        }
    }

    int socketCount() {
        return sockets.size();
    }

    private static Map<String, SocketImpl> with(Map<String, SocketImpl> map, String name, SocketImpl socket) {
        if (map.isEmpty()) {
            return Map.of(name, socket);
        }
        Map<String, SocketImpl> copy = new HashMap<>(map);
        copy.put(name, socket);
        return Map.copyOf(copy);
    }

    private static Map<String, SocketImpl> without(Map<String, SocketImpl> map, String name, SocketImpl socket) {
        if (map.get(name) != socket) {
            return map;
        }
        if (map.size() == 1) {
            return Map.of();
        }
        Map<String, SocketImpl> copy = new HashMap<>(map);
        copy.remove(name);
        return Map.copyOf(copy);
    }

    private static ObjectNode queryToJson(String query) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                node.put(key, value);
            } catch (IllegalArgumentException malformed) {
                // a malformed escape: keep the other parameters
            }
        }
        return node;
    }
}
