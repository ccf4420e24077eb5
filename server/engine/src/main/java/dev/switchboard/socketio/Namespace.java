package dev.switchboard.socketio;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/** A Socket.IO namespace ("/", "/services", ...): like Node's {@code io.of(name)}. */
public interface Namespace {

    String name();

    /** Adds connect middleware, run in order for every CONNECT; throwing {@link ConnectError} refuses it. */
    Namespace use(ConnectMiddleware middleware);

    /** Called for every socket that passed the middleware, before it receives any event. */
    Namespace onConnection(Consumer<Socket> handler);

    /** Broadcast to the union of these rooms (chain {@code .to}, {@code .except}, {@code .volatile_()}). */
    BroadcastOperator to(String... rooms);

    BroadcastOperator except(String... rooms);

    /** Broadcast to every socket of the namespace; the packet is encoded once. Returns sockets reached (local). */
    int emit(String event, Object... args);

    /** Sockets connected to this namespace on this node. */
    int socketCount();

    Collection<Socket> sockets();

    Socket socket(String id);

    /** Room name to member count, without the private per-socket id rooms. */
    Map<String, Integer> rooms();

    Adapter adapter();
}
