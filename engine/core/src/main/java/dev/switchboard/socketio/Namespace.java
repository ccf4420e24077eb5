package dev.switchboard.socketio;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** A Socket.IO namespace ("/", "/services", ...): like Node's {@code io.of(name)}. */
public interface Namespace {

    String name();

    /** Adds connect middleware, run in order for every CONNECT; throwing {@link ConnectError} refuses it. */
    Namespace use(ConnectMiddleware middleware);

    /** Called for every socket that passed the middleware, before it receives any event. */
    Namespace onConnection(Consumer<Socket> handler);

    /** Broadcast to the union of these rooms (chain {@code .to}, {@code .except}, {@code .droppable()}). */
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

    /**
     * Keeps the last {@code lastN} events (and none older than {@code maxAge}; null: no age limit) broadcast to
     * each room {@code rooms} accepts, for {@link #replayHistory}. Turning history on gives every non-volatile
     * broadcast of this namespace an offset; it rides as the last argument only to sockets that
     * {@link Socket#receivesOffsets() receive offsets}, the others get exactly the emitted arguments.
     * The first history declared for a room is the one used. All its rooms together keep at most
     * {@code maxBytes} of encoded events, the oldest of any room dropped first beyond it.
     */
    Namespace history(Predicate<String> rooms, int lastN, Duration maxAge, long maxBytes);

    /** {@link #history(Predicate, int, Duration, long)} without a bound on the bytes kept. */
    default Namespace history(Predicate<String> rooms, int lastN, Duration maxAge) {
        return history(rooms, lastN, maxAge, Long.MAX_VALUE);
    }

    /** {@link #history(Predicate, int, Duration)} for the rooms whose whole name matches {@code roomRegex}. */
    default Namespace history(String roomRegex, int lastN, Duration maxAge) {
        return history(Pattern.compile(roomRegex).asMatchPredicate(), lastN, maxAge);
    }

    /** Whether a history keeps the events of {@code room}. */
    boolean hasHistory(String room);

    /**
     * Joins {@code socket} to {@code room} and sends it the room's kept events after {@code sinceOffset} (all kept
     * ones when null), atomically with respect to broadcasts: every event of the room reaches it exactly once,
     * in order. {@code sinceOffset} is the last argument of the last event the client saw: offsets look like
     * {@code 42-k3j9x0ab} (sequence, then a random epoch of this namespace in this process); a well-formed offset
     * of another process (e.g. before a restart) replays everything kept, with {@code complete} false.
     *
     * @throws IllegalArgumentException when {@code sinceOffset} is not an offset
     */
    HistoryReplay replayHistory(Socket socket, String room, String sinceOffset);
}
