package dev.switchboard.socketio;

import java.util.Set;

/**
 * Event names socket.io-client uses for its own lifecycle: the server may not emit them, a client may not send
 * them, and neither POST /emit nor a Redis relay message may name one (it would never reach a listener).
 */
public final class ReservedEvents {
    /** The names, as socket.io-client reserves them. */
    public static final Set<String> NAMES =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private ReservedEvents() {
    }

    public static boolean isReserved(String event) {
        return NAMES.contains(event);
    }

    static void check(String event) {
        if (event == null) {
            throw new IllegalArgumentException("event name is null");
        }
        if (isReserved(event)) {
            throw new IllegalArgumentException('"' + event + "\" is a reserved event name");
        }
    }
}
