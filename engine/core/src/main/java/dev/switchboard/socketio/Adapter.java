package dev.switchboard.socketio;

import java.util.Map;
import java.util.Set;

/**
 * Holds room membership of one namespace and delivers broadcasts. In-memory by default; a Redis adapter
 * (issue 6) implements the same interface to reach sockets on other nodes.
 *
 * <p>An adapter is created per namespace by an {@link AdapterFactory}, which hands it the namespace's
 * {@link BroadcastTarget}: the adapter encodes a broadcast once ({@link BroadcastTarget#encode}) and hands
 * the same messages to every local recipient ({@link BroadcastTarget#deliver}).
 * All methods may be called from any thread.
 */
public interface Adapter {

    void addAll(String socketId, Set<String> rooms);

    void del(String socketId, String room);

    void delAll(String socketId);

    /** Ids of the sockets in any of these rooms (all sockets when empty). */
    Set<String> sockets(Set<String> rooms);

    /** Rooms of one socket (empty when unknown). */
    Set<String> socketRooms(String socketId);

    /**
     * Delivers {@code packet} to the local sockets {@code options} select (in any of its rooms, or all when it
     * names none; minus those in any of its except rooms). Encodes once. A cluster adapter also publishes it
     * to the other nodes unless {@link BroadcastOptions#local()}. Returns how many local sockets it was handed to.
     * With connection state recovery or history on, the namespace has already appended the packet's offset
     * ({@link BroadcastPacket#withOffset}), encoded and recorded it; the packet carries that encoding, which
     * {@link BroadcastTarget#encode} then returns. Hand it to each recipient with
     * {@link BroadcastTarget#deliver(String, BroadcastPacket, dev.switchboard.engineio.EngineMessage[], boolean)}.
     */
    int broadcast(BroadcastPacket packet, BroadcastOptions options);

    /** Every room with its local member count, including the per-socket id rooms. */
    Map<String, Integer> roomSizes();

    /** Rooms with members on this node, the per-socket id rooms not counted. */
    default int roomCount() {
        return Math.max(0, roomSizes().size() - sockets(Set.of()).size());
    }

    /** Releases resources (subscriptions, connections); called when the server closes. */
    default void close() {
    }
}
