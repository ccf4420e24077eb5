package dev.switchboard.channels;

import dev.switchboard.socketio.Adapter;
import dev.switchboard.socketio.AdapterFactory;
import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import java.util.Map;
import java.util.Set;

/**
 * Decorates a namespace's adapter: every broadcast it is asked to make is also handed to the channel hub, so
 * {@code POST /emit} (and any {@code namespace.to(room).emit}) reaches plain subscribers of the mapped channel.
 */
final class ChannelTeeAdapter implements Adapter {
    private final Adapter delegate;
    private final String namespace;
    private final ChannelHub hub;

    private ChannelTeeAdapter(Adapter delegate, String namespace, ChannelHub hub) {
        this.delegate = delegate;
        this.namespace = namespace;
        this.hub = hub;
    }

    static AdapterFactory wrap(AdapterFactory inner, ChannelHub hub) {
        return target -> {
            hub.teed(target.name());
            return new ChannelTeeAdapter(inner.create(target), target.name(), hub);
        };
    }

    @Override
    public int broadcast(BroadcastPacket packet, BroadcastOptions options) {
        int delivered = delegate.broadcast(packet, options);
        hub.onBroadcast(namespace, packet, options);
        return delivered;
    }

    @Override public void addAll(String socketId, Set<String> rooms) { delegate.addAll(socketId, rooms); }
    @Override public void del(String socketId, String room) { delegate.del(socketId, room); }
    @Override public void delAll(String socketId) { delegate.delAll(socketId); }
    @Override public Set<String> sockets(Set<String> rooms) { return delegate.sockets(rooms); }
    @Override public Set<String> socketRooms(String socketId) { return delegate.socketRooms(socketId); }
    @Override public Map<String, Integer> roomSizes() { return delegate.roomSizes(); }
    @Override public void close() { delegate.close(); }
}
