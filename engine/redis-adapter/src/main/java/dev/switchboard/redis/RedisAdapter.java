package dev.switchboard.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final int broadcastChannelLength;
    private final RequestHandler requests;
    private final RejectLog rejects;
    /** Sharded adapter mode (REDIS_ADAPTER=sharded); null in the classic mode. */
    private final ShardedMessages sharded;
    private volatile boolean dirty;

    RedisAdapter(BroadcastTarget target, RedisCluster cluster) {
        super(target);
        this.cluster = cluster;
        this.nsp = target.name();
        this.broadcastChannelLength = cluster.channels().broadcast(nsp).length();
        this.rejects = new RejectLog(log, "redis_message_rejected", nsp);
        this.requests = new RequestHandler(this, cluster, rejects);
        this.sharded = cluster.settings().sharded() ? new ShardedMessages(this, cluster, rejects) : null;
        cluster.register(this);
    }

    String nsp() {
        return nsp;
    }

    /** Broadcasts and requests from Redis that were dropped as malformed. */
    public long rejectedMessages() {
        return rejects.count();
    }

    // ------------------------------------------------------------------ membership: local, then state refresh

    @Override
    public void addAll(String socketId, Set<String> rooms) {
        if (sharded == null) {
            super.addAll(socketId, rooms);
        } else {
            addAllSharded(socketId, rooms);
        }
        cluster.markDirty(this);
    }

    @Override
    public void del(String socketId, String room) {
        if (sharded == null) {
            super.del(socketId, room);
        } else {
            delSharded(socketId, Set.of(room));
        }
        cluster.markDirty(this);
    }

    @Override
    public void delAll(String socketId) {
        if (sharded == null) {
            super.delAll(socketId);
        } else {
            delSharded(socketId, null);
        }
        cluster.markDirty(this);
    }

    /** Sharded mode: a room that gets its first member here gets its own subscription (dynamic modes). */
    private synchronized void addAllSharded(String socketId, Set<String> rooms) {
        List<String> created = new ArrayList<>(2);
        for (String room : rooms) {
            boolean isSocketId = room.equals(socketId) || !socketRooms(room).isEmpty();
            if (sharded.ownChannel(room, isSocketId) && sockets(Set.of(room)).isEmpty()) {
                created.add(room);
            }
        }
        super.addAll(socketId, rooms);
        for (String room : created) {
            cluster.subscribeRoom(sharded.roomChannel(room), this::onShardMessage);
        }
    }

    /** Sharded mode: a room whose last member here left loses its subscription. {@code rooms} null: all of them. */
    private synchronized void delSharded(String socketId, Set<String> rooms) {
        Set<String> touched = rooms != null ? rooms : socketRooms(socketId);
        if (rooms == null) {
            super.delAll(socketId);
        } else {
            for (String room : rooms) {
                super.del(socketId, room);
            }
        }
        for (String room : touched) {
            if (sockets(Set.of(room)).isEmpty()) {
                cluster.unsubscribeRoom(sharded.roomChannel(room));
            }
        }
    }

    /** Sharded mode: every channel this namespace is subscribed to on this node. */
    List<String> shardChannels() {
        List<String> channels = new ArrayList<>();
        channels.add(sharded.mainChannel());
        channels.add(sharded.responseChannel());
        for (String room : roomSizes().keySet()) {
            channels.add(sharded.roomChannel(room)); // unsubscribing one never subscribed is harmless
        }
        return channels;
    }

    ShardedMessages sharded() {
        return sharded;
    }

    /** A sharded-mode message on one of this namespace's channels (Lettuce I/O thread). */
    void onShardMessage(byte[] message) {
        sharded.handle(message);
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
            if (sharded == null) {
                cluster.publishBroadcast(packet, options);
            } else {
                cluster.publishBroadcast(sharded, packet, options);
            }
        }
        return delivered;
    }

    /** A message on {@code <prefix>#<nsp>#} or {@code <prefix>#<nsp>#<room>#} (Lettuce I/O thread). */
    void onBroadcastMessage(String channel, byte[] message) {
        if (channel.length() > broadcastChannelLength + 1) { // one-room channel: skip when nobody here wants it
            String room = channel.substring(broadcastChannelLength, channel.length() - 1);
            if (!hasLocalInterest(room)) { // no local socket in it, and no broadcast listener (plain channels) for it
                return;
            }
        }
        if (cluster.nodeId().equals(MsgPack.firstString(message))) {
            return; // our own broadcast, already delivered locally
        }
        BroadcastMessage decoded;
        try {
            decoded = BroadcastMessage.decode(message);
        } catch (MalformedMessageException e) {
            rejects.reject(channel, e.getMessage());
            return;
        }
        if (!nsp.equals(decoded.nsp())) {
            rejects.reject(channel, "packet namespace " + decoded.nsp() + " does not match the channel's " + nsp);
            return;
        }
        target.receiveRemote(decoded.packet(), decoded.localOptions()); // recorded for recovery like a local one
    }

    /** A message on {@code <prefix>-request#<nsp>#}. */
    void onRequest(byte[] message) {
        requests.handle(message);
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

    /** Appends this namespace's state as hash field/value pairs: "s" = sockets, "r"+room = members. */
    void snapshot(List<String> out) {
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
