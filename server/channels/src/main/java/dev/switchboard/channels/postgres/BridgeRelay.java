package dev.switchboard.channels.postgres;

/** Where the bridge sends a notification: {@code namespace.to(room).emit(event, data)}; e.g. PlainChannels::relay. */
@FunctionalInterface
public interface BridgeRelay {
    int relay(String namespace, String room, String event, Object data);
}
