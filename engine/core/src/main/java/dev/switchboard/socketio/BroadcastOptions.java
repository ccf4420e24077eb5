package dev.switchboard.socketio;

import java.util.Set;

/**
 * Who a broadcast goes to: sockets in any of {@code rooms} (every socket when empty), minus those in any of
 * {@code except}. {@code droppable}: drop it for sockets that cannot take it right now. {@code local}: this
 * node only (a cluster adapter does not publish it). Immutable.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, boolean droppable, boolean local) {

    public static final BroadcastOptions ALL = new BroadcastOptions(Set.of(), Set.of(), false, false);

    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
    }
}
