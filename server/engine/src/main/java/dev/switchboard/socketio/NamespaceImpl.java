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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.socketio.parser.Packet;
import dev.switchboard.socketio.parser.PacketEncoder;

/** A declared namespace: its middleware, connection handlers, admitted sockets and adapter. */
final class NamespaceImpl implements Namespace, BroadcastTarget {
    private static final Logger log = LoggerFactory.getLogger(NamespaceImpl.class);

    private final String name;
    private final SocketIoCore core;
    private final List<ConnectMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, SocketImpl> sockets = new ConcurrentHashMap<>();
    private final Adapter adapter;

    NamespaceImpl(String name, SocketIoCore core, AdapterFactory adapterFactory) {
        this.name = name;
        this.core = core;
        this.adapter = adapterFactory.create(this);
    }

    @Override
    public String name() {
        return name;
    }

    PacketEncoder encoder() {
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
        return new RoomBroadcast(this, Set.of(rooms), Set.of(), false);
    }

    @Override
    public BroadcastOperator except(String... rooms) {
        return new RoomBroadcast(this, Set.of(), Set.of(rooms), false);
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

    // ---- BroadcastTarget ----

    @Override
    public EngineMessage[] encode(BroadcastPacket packet) {
        return core.encoder().encodeEvent(name, packet.event(), packet.args(), Packet.NO_ACK);
    }

    @Override
    public boolean deliver(String socketId, EngineMessage[] messages, boolean volatile_) {
        SocketImpl socket = sockets.get(socketId);
        return socket != null && socket.deliver(messages, volatile_);
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
        for (Consumer<Socket> handler : connectionHandlers) {
            try {
                handler.accept(socket);
            } catch (Throwable t) {
                log.warn("event=connection_handler_failed namespace={} socketId={} error={}",
                        name, socket.id(), t.toString(), t);
            }
        }
    }

    /** Makes an admitted socket visible: in the namespace, in its id room (and rooms its middleware joined). */
    void add(SocketImpl socket) {
        sockets.put(socket.id(), socket);
        adapter.addAll(socket.id(), socket.initialRooms());
    }

    void remove(SocketImpl socket) {
        if (sockets.remove(socket.id(), socket)) {
            adapter.delAll(socket.id());
        }
    }
}
