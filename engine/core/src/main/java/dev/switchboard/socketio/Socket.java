package dev.switchboard.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One client's connection to one namespace. Its id is distinct from the Engine.IO session id.
 * Handlers registered here run on a worker thread, one event at a time per socket, in arrival order.
 */
public interface Socket {

    String id();

    Namespace namespace();

    Handshake handshake();

    /** Free-form per-socket attributes (e.g. the authenticated user), set by middleware or handlers. */
    Map<String, Object> data();

    /** Registers the handler of one event name (one handler per name; a second call replaces it). */
    Socket on(String event, EventHandler handler);

    /** Called for events that have no handler of their own. */
    Socket onAny(EventHandler handler);

    /** Adds an interceptor every received event passes before its handler (Node's {@code socket.use}). */
    Socket use(EventInterceptor interceptor);

    /** Called once when the socket disconnects, with Node's reason words ("client namespace disconnect", ...). */
    Socket onDisconnect(Consumer<String> handler);

    /** Emits to this socket only. Arguments are serialized with Jackson; byte[] become binary attachments. */
    void emit(String event, Object... args);

    /** Emits and waits for the client's ack; the future fails with a TimeoutException after {@code timeout}. */
    CompletableFuture<List<JsonNode>> emitWithAck(String event, Duration timeout, Object... args);

    /** Emits unless the socket's outbound buffer is over its soft bound; returns whether it was queued. */
    boolean emitVolatile(String event, Object... args);

    void join(String room);

    void leave(String room);

    /** Rooms this socket is in, including its own id room. */
    Set<String> rooms();

    /** Broadcast to rooms, excluding this socket (Node's {@code socket.to(room).emit}). */
    BroadcastOperator to(String... rooms);

    boolean connected();

    /** Leaves the namespace (sends DISCONNECT); with {@code closeConnection} also closes the Engine.IO session. */
    void disconnect(boolean closeConnection);

    /**
     * Whether broadcasts of a namespace that keeps offsets (connection state recovery, {@link Namespace#history})
     * reach this socket with their offset as an extra last argument: with recovery on (socket.io-client keeps the
     * last one to resume), or once it asked ({@link #requestOffsets}). Otherwise it gets exactly the emitted
     * arguments.
     */
    boolean receivesOffsets();

    /** From now on, broadcasts reach this socket with their offset as the last argument. */
    void requestOffsets();

    /** Whether connection state recovery restored this socket (same id, rooms and data, missed packets replayed). */
    boolean recovered();

    /** The Engine.IO session id carrying this socket (not its Socket.IO id). */
    String connectionId();

    /** The transport carrying it right now: "polling" or "websocket". */
    String transport();
}
