package dev.switchboard.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;

/**
 * Sharded mode, one namespace: its main and response channels, plus (dynamic subscription modes) one channel per
 * room while the room has members here; every message in the format of {@link ShardedMessages}.
 */
final class ShardedNamespaceTraffic implements NamespaceTraffic {
    private final RedisAdapter adapter;
    private final RedisCluster cluster;
    private final ShardedLink link;
    private final ShardedMessages messages;

    ShardedNamespaceTraffic(RedisAdapter adapter, RedisCluster cluster, ShardedLink link, RejectLog rejects) {
        this.adapter = adapter;
        this.cluster = cluster;
        this.link = link;
        this.messages = new ShardedMessages(adapter, cluster, rejects);
    }

    /** The namespace's main and response channels (its rooms subscribe as they get members here). */
    @Override
    public void subscribe() {
        link.ssubscribe(messages.mainChannel(), messages::handle);
        link.ssubscribe(messages.responseChannel(), messages::handle);
    }

    @Override
    public void unsubscribe() {
        link.sunsubscribe(messages.mainChannel());
        link.sunsubscribe(messages.responseChannel());
        for (String room : adapter.roomSizes().keySet()) {
            link.sunsubscribe(messages.roomChannel(room)); // unsubscribing one never subscribed is harmless
        }
    }

    /** As createShardedAdapter sends it (channel per Node's computeChannel). */
    @Override
    public void publishBroadcast(BroadcastPacket packet, BroadcastOptions options) {
        cluster.publishBroadcast(messages.broadcastChannel(options), packet, () -> messages.broadcast(packet, options));
    }

    /** A room that gets its first member here gets its own subscription (dynamic modes). */
    @Override
    public void join(String socketId, Set<String> rooms, Runnable apply) {
        synchronized (adapter) {
            List<String> created = new ArrayList<>(2);
            for (String room : rooms) {
                boolean isSocketId = room.equals(socketId) || !adapter.socketRooms(room).isEmpty();
                if (messages.ownChannel(room, isSocketId) && adapter.sockets(Set.of(room)).isEmpty()) {
                    created.add(room);
                }
            }
            apply.run();
            for (String room : created) {
                link.ssubscribe(messages.roomChannel(room), messages::handle);
            }
        }
    }

    /** A room whose last member here left loses its subscription. */
    @Override
    public void leave(String socketId, Set<String> rooms, Runnable apply) {
        synchronized (adapter) {
            apply.run();
            unsubscribeEmpty(rooms);
        }
    }

    @Override
    public void leaveAll(String socketId, Runnable apply) {
        synchronized (adapter) {
            Set<String> touched = adapter.socketRooms(socketId);
            apply.run();
            unsubscribeEmpty(touched);
        }
    }

    private void unsubscribeEmpty(Set<String> rooms) {
        for (String room : rooms) {
            if (adapter.sockets(Set.of(room)).isEmpty()) {
                link.sunsubscribe(messages.roomChannel(room));
            }
        }
    }

    @Override
    public CompletableFuture<Boolean> socketsJoin(Set<String> rooms, Set<String> except, Collection<String> join) {
        return cluster.publish(messages.mainChannel(), messages.socketsJoin(rooms, except, join));
    }

    @Override
    public CompletableFuture<Boolean> socketsLeave(Set<String> rooms, Set<String> except, Collection<String> leave) {
        return cluster.publish(messages.mainChannel(), messages.socketsLeave(rooms, except, leave));
    }

    @Override
    public CompletableFuture<Boolean> disconnectSockets(Set<String> rooms, Set<String> except, boolean close) {
        return cluster.publish(messages.mainChannel(), messages.disconnectSockets(rooms, except, close));
    }
}
