package dev.switchboard.socketio;

import dev.switchboard.socketio.parser.PacketDecoder;

/** Event names the server may not emit: the client library uses them for its own lifecycle. */
final class ReservedEvents {

    private ReservedEvents() {
    }

    static void check(String event) {
        if (event == null) {
            throw new IllegalArgumentException("event name is null");
        }
        if (PacketDecoder.RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException('"' + event + "\" is a reserved event name");
        }
    }
}
