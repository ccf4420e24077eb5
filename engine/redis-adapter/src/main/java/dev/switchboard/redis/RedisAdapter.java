package dev.switchboard.redis;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import dev.switchboard.socketio.BroadcastTarget;
import dev.switchboard.socketio.InMemoryAdapter;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;

/**
 * The adapter of one namespace on a Redis-backed node: local membership and delivery as {@link InMemoryAdapter},
 * plus every non-local broadcast published for the other nodes, and broadcasts and requests from other nodes
 * (Switchboard, Node servers on @socket.io/redis-adapter, @socket.io/redis-emitter) delivered or applied here.
 */
public final class RedisAdapter extends InMemoryAdapter {
    private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);

    private final RedisCluster cluster;
    private final String nsp;
    private final RejectLog rejects;
    /** What the adapter mode (REDIS_ADAPTER) makes of this namespace's traffic over Redis. */
    private final NamespaceTraffic traffic;
    private volatile boolean dirty;
    /** Rooms whose local member count changed since the state was last written (socket-id rooms skipped then). */
    private final Set<String> changedRooms = ConcurrentHashMap.newKeySet();
    /** The state in Redis may miss changes (never written, or a write failed): the next write is whole. */
    private volatile boolean wholeWriteNeeded = true;

    RedisAdapter(BroadcastTarget target, RedisCluster cluster) {
        super(target);
        this.cluster = cluster;
        this.nsp = target.name();
        this.rejects = new RejectLog(log, "redis_message_rejected", nsp);
        this.traffic = cluster.traffic().namespace(this, rejects);
        cluster.register(this);
    }

    String nsp() {
        return nsp;
    }

    NamespaceTraffic traffic() {
        return traffic;
    }

    /** Broadcasts and requests from Redis that were dropped as malformed. */
    public long rejectedMessages() {
        return rejects.count();
    }

    // ------------------------------------------------------------------ membership: local, then state refresh

    @Override
    public void addAll(String socketId, Set<String> rooms) {
        traffic.join(socketId, rooms, () -> super.addAll(socketId, rooms));
        changedRooms.addAll(rooms); // after the change: a write that clears this set has seen it or will be followed
        cluster.markDirty(this);
    }

    @Override
    public void del(String socketId, String room) {
        traffic.leave(socketId, Set.of(room), () -> super.del(socketId, room));
        changedRooms.add(room);
        cluster.markDirty(this);
    }

    @Override
    public void delAll(String socketId) {
        Set<String> rooms = socketRooms(socketId);
        traffic.leaveAll(socketId, () -> super.delAll(socketId));
        changedRooms.addAll(rooms);
        cluster.markDirty(this);
    }

    /** Whether a broadcast to {@code room} from another node concerns this node at all. */
    boolean wantsRoom(String room) {
        return hasLocalInterest(room);
    }

    /** Delivers a broadcast from another node to the local sockets it selects. */
    void deliverRemote(BroadcastMessage decoded) {
        target.receiveRemote(decoded.packet(), decoded.localOptions()); // recorded for recovery like a local one
    }

    // ------------------------------------------------------------------ broadcasts

    /** Local delivery first (never waits on Redis), then publishes unless {@code options.local()}. */
    @Override
    public int broadcast(BroadcastPacket packet, BroadcastOptions options) {
        int delivered = super.broadcast(packet, options);
        if (!options.local()) {
            traffic.publishBroadcast(packet, options);
        }
        return delivered;
    }

    // ------------------------------------------------------------------ cluster operations, this node's part

    /** Local sockets in any of {@code rooms} (all when empty) and in none of {@code except}. */
    Set<String> select(Set<String> rooms, Set<String> except) {
        Set<String> selected = new HashSet<>(sockets(rooms));
        if (!except.isEmpty()) {
            selected.removeAll(sockets(except));
        }
        return selected;
    }

    int joinLocal(Set<String> rooms, Set<String> except, Collection<String> join) {
        Set<String> selected = select(rooms, except);
        Set<String> add = Set.copyOf(join);
        for (String id : selected) {
            addAll(id, add);
        }
        return selected.size();
    }

    int leaveLocal(Set<String> rooms, Set<String> except, Collection<String> leave) {
        Set<String> selected = select(rooms, except);
        for (String id : selected) {
            for (String room : leave) {
                del(id, room);
            }
        }
        return selected.size();
    }

    int disconnectLocal(Set<String> rooms, Set<String> except, boolean close) {
        Namespace namespace = namespace();
        if (namespace == null) {
            return 0;
        }
        int n = 0;
        for (String id : select(rooms, except)) {
            Socket socket = namespace.socket(id);
            if (socket != null) {
                socket.disconnect(close);
                n++;
            }
        }
        return n;
    }

    /** The namespace behind this adapter (the engine's namespace is its own BroadcastTarget). */
    Namespace namespace() {
        return target instanceof Namespace ns ? ns : null;
    }

    // ------------------------------------------------------------------ node state

    void markDirty() {
        dirty = true;
    }

    boolean takeDirty() {
        boolean was = dirty;
        dirty = false;
        return was;
    }

    /**
     * Appends the hash field/value pairs changed since the last write ("r"+room = its members, "" = none left; "s" =
     * sockets), and returns true; returns false, appending nothing, when the next write must be whole
     * ({@link #snapshot}): never written, a write failed, or no socket is left (the whole write removes the hash).
     */
    boolean changes(List<String> out) {
        int socketCount = socketCount();
        if (wholeWriteNeeded || socketCount == 0) {
            return false;
        }
        for (java.util.Iterator<String> it = changedRooms.iterator(); it.hasNext(); ) {
            String room = it.next();
            it.remove(); // a change after this is added again, and written by the next flush
            if (!socketRooms(room).isEmpty()) {
                continue; // a socket's id room: not part of the state
            }
            int members = sockets(Set.of(room)).size();
            out.add("r" + room);
            out.add(members == 0 ? "" : Integer.toString(members));
        }
        out.add("s");
        out.add(Integer.toString(socketCount));
        return true;
    }

    /** A write of this namespace's state failed: the next one rewrites it whole. */
    void stateWriteFailed() {
        wholeWriteNeeded = true;
    }

    /** Appends this namespace's state as hash field/value pairs: "s" = sockets, "r"+room = members. */
    void snapshot(List<String> out) {
        changedRooms.clear(); // the snapshot has them; a change from now on is written by the next flush
        wholeWriteNeeded = false;
        Set<String> ids = sockets(Set.of());
        if (ids.isEmpty()) {
            return;
        }
        out.add("s");
        out.add(Integer.toString(ids.size()));
        for (Map.Entry<String, Integer> room : roomSizes().entrySet()) {
            if (!ids.contains(room.getKey())) {
                out.add("r" + room.getKey());
                out.add(room.getValue().toString());
            }
        }
    }

    @Override
    public void close() {
        cluster.unregister(this);
    }
}
