package dev.switchboard.app.compat;

import java.util.List;

/** The transports a matrix cell asks the client for; {@code null} names = the client's own default. */
enum Transport {
    DEFAULT(null),
    WEBSOCKET(List.of("websocket")),
    POLLING(List.of("polling"));

    private final List<String> names;

    Transport(List<String> names) {
        this.names = names;
    }

    /** The {@code transports} option, or null for the client's default (polling, then the WebSocket upgrade). */
    List<String> names() {
        return names;
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
