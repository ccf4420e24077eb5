package dev.switchboard.namespaces.core;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.socketio.Event;

/** The positive ack of a handled event, {@code {ok: true, <field>: value}}; sent only when the client asked for one. */
public final class ClientAcks {
    private ClientAcks() {
    }

    public static void ok(Event event, String field, Object value) {
        if (event.wantsAck()) {
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("ok", true);
            ack.put(field, value);
            event.ack(ack);
        }
    }
}
