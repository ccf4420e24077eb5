package dev.switchboard.redis;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;

/**
 * Classic mode, one namespace: broadcasts on {@code <prefix>#<nsp>#} (or {@code <prefix>#<nsp>#<room>#} for one
 * room) in @socket.io/redis-adapter's format, all of them received through one pattern subscription; requests on
 * {@code <prefix>-request#<nsp>#}. Membership changes touch no subscription.
 */
final class ClassicNamespaceTraffic implements NamespaceTraffic {
    private final RedisAdapter adapter;
    private final RedisCluster cluster;
    private final ClassicLink link;
    private final RejectLog rejects;
    private final RequestHandler requests;
    private final ClassicRequests outgoing;
    private final int broadcastChannelLength;

    ClassicNamespaceTraffic(RedisAdapter adapter, RedisCluster cluster, ClassicLink link, RejectLog rejects) {
        this.adapter = adapter;
        this.cluster = cluster;
        this.link = link;
        this.rejects = rejects;
        this.requests = new RequestHandler(adapter, cluster, rejects);
        this.outgoing = new ClassicRequests(cluster, adapter.nsp());
        this.broadcastChannelLength = cluster.channels().broadcast(adapter.nsp()).length();
    }

    @Override
    public void subscribe() {
        link.registerNamespace(adapter.nsp(), this::onBroadcastMessage, requests::handle);
    }

    @Override
    public void unsubscribe() {
        link.unregisterNamespace(adapter.nsp());
    }

    /** As @socket.io/redis-adapter sends it: a room's own channel for one room. */
    @Override
    public void publishBroadcast(BroadcastPacket packet, BroadcastOptions options) {
        RedisNames channels = cluster.channels();
        String channel = options.rooms().size() == 1
                ? channels.broadcastRoom(packet.namespace(), options.rooms().iterator().next())
                : channels.broadcast(packet.namespace());
        cluster.publishBroadcast(channel, packet,
                () -> BroadcastMessage.encode(cluster.nodeId(), packet, options, cluster.mapper()));
    }

    @Override
    public void join(String socketId, Set<String> rooms, Runnable apply) {
        apply.run();
    }

    @Override
    public void leave(String socketId, Set<String> rooms, Runnable apply) {
        apply.run();
    }

    @Override
    public void leaveAll(String socketId, Runnable apply) {
        apply.run();
    }

    @Override
    public CompletableFuture<Boolean> socketsJoin(Set<String> rooms, Set<String> except, Collection<String> join) {
        return outgoing.socketsJoin(rooms, except, join);
    }

    @Override
    public CompletableFuture<Boolean> socketsLeave(Set<String> rooms, Set<String> except, Collection<String> leave) {
        return outgoing.socketsLeave(rooms, except, leave);
    }

    @Override
    public CompletableFuture<Boolean> disconnectSockets(Set<String> rooms, Set<String> except, boolean close) {
        return outgoing.disconnectSockets(rooms, except, close);
    }

    /** A message on {@code <prefix>#<nsp>#} or {@code <prefix>#<nsp>#<room>#} (Lettuce I/O thread). */
    private void onBroadcastMessage(String channel, byte[] message) {
        if (channel.length() > broadcastChannelLength + 1) { // one-room channel: skip when nobody here wants it
            String room = channel.substring(broadcastChannelLength, channel.length() - 1);
            if (!adapter.wantsRoom(room)) { // no local socket in it, and no broadcast listener (plain channels) for it
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
        if (!adapter.nsp().equals(decoded.nsp())) {
            rejects.reject(channel, "packet namespace " + decoded.nsp() + " does not match the channel's " + adapter.nsp());
            return;
        }
        adapter.deliverRemote(decoded);
    }
}
