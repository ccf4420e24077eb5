package dev.switchboard.redis;

import java.util.Set;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;

/**
 * What differs between the adapter modes for one namespace, as its {@link RedisAdapter} sees it: which channels it
 * listens on, how a broadcast and a join/leave/disconnect request are published and on which channel, and what
 * happens when a room gets its first member here or loses its last one. Made by {@link AdapterTraffic}.
 */
interface NamespaceTraffic extends ClusterRequests {
    /** Listens on the namespace's own channels: broadcasts and requests from other nodes. */
    void subscribe();

    /** Stops listening on every channel of the namespace. */
    void unsubscribe();

    /** Publishes a broadcast already delivered to the local sockets, for the other nodes. */
    void publishBroadcast(BroadcastPacket packet, BroadcastOptions options);

    /** {@code socketId} joins {@code rooms}: {@code apply} changes the local membership. */
    void join(String socketId, Set<String> rooms, Runnable apply);

    /** {@code socketId} leaves {@code rooms}: {@code apply} changes the local membership. */
    void leave(String socketId, Set<String> rooms, Runnable apply);

    /** {@code socketId} leaves every room: {@code apply} changes the local membership. */
    void leaveAll(String socketId, Runnable apply);
}
