package dev.switchboard.namespaces.core;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.socketio.RoomAccess;

/**
 * What the server lends a namespace while it is installed.
 *
 * @param rooms the rule for rooms a client asks to be in (ROOM_PATTERNS, the JWT rooms claim)
 */
public record NamespaceContext(ScheduledExecutorService scheduler, RoomAccess rooms) {

    public NamespaceContext {
        Objects.requireNonNull(rooms, "rooms");
    }

    /** With the default room rule: any room the server does not assign. */
    public NamespaceContext(ScheduledExecutorService scheduler) {
        this(scheduler, RoomAccess.anyRoom());
    }
}
