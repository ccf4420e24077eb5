package dev.switchboard.socketio;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** An immutable {@link BroadcastOperator}: every call returns a new one. */
final class RoomBroadcast implements BroadcastOperator {
    private final NamespaceImpl namespace;
    private final Set<String> rooms;
    private final Set<String> except;
    private final boolean droppable;

    RoomBroadcast(NamespaceImpl namespace, Set<String> rooms, Set<String> except, boolean droppable) {
        this.namespace = namespace;
        this.rooms = rooms;
        this.except = except;
        this.droppable = droppable;
    }

    @Override
    public BroadcastOperator to(String... more) {
        if (more.length == 0) {
            return this; // immutable: nothing to add is the same operator
        }
        return new RoomBroadcast(namespace, union(rooms, more), except, droppable);
    }

    @Override
    public BroadcastOperator except(String... more) {
        if (more.length == 0) {
            return this;
        }
        return new RoomBroadcast(namespace, rooms, union(except, more), droppable);
    }

    @Override
    public BroadcastOperator droppable() {
        return new RoomBroadcast(namespace, rooms, except, true);
    }

    @Override
    public int emit(String event, Object... args) {
        ReservedEvents.check(event);
        BroadcastPacket packet = new BroadcastPacket(namespace.name(), event, Arrays.asList(args));
        return namespace.broadcast(packet, new BroadcastOptions(rooms, except, droppable, false));
    }

    /** Rooms as a set, as Node's Set: a room named twice is the room once. */
    static Set<String> roomSet(String... rooms) {
        return rooms.length == 0 ? Set.of() : Set.copyOf(Arrays.asList(rooms));
    }

    private static Set<String> union(Set<String> base, String[] more) {
        Set<String> all = new HashSet<>(base);
        for (String room : more) {
            all.add(room);
        }
        return Set.copyOf(all);
    }

    Set<String> rooms() {
        return rooms;
    }

    Set<String> except() {
        return except;
    }

    boolean isDroppable() {
        return droppable;
    }
}
