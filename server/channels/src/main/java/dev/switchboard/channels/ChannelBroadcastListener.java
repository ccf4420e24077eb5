package dev.switchboard.channels;

import dev.switchboard.socketio.BroadcastListener;
import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;

/**
 * Follows one namespace's broadcasts for the channel hub: every broadcast the namespace delivers on this node
 * (made here, or from another node through the Redis adapter) reaches the plain subscribers of the mapped channel,
 * and rooms that only plain subscribers listen to are not skipped by the cluster adapter.
 */
final class ChannelBroadcastListener implements BroadcastListener {
    private final String namespace;
    private final ChannelHub hub;

    private ChannelBroadcastListener(String namespace, ChannelHub hub) {
        this.namespace = namespace;
        this.hub = hub;
    }

    static BroadcastListener.Factory factory(ChannelHub hub) {
        return namespace -> {
            hub.followed(namespace);
            return new ChannelBroadcastListener(namespace, hub);
        };
    }

    @Override
    public void onBroadcast(BroadcastPacket packet, BroadcastOptions options) {
        hub.onBroadcast(namespace, packet, options);
    }

    @Override
    public boolean wantsRoom(String room) {
        return hub.hasSubscribers(namespace, room);
    }
}
