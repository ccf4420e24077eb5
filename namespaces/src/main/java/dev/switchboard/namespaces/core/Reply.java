package dev.switchboard.namespaces.core;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.socketio.Event;

/** What a {@link ClientEvents} handler answers: sent as the ack, only when the client asked for one. */
public final class Reply {
    private static final Reply NONE = new Reply(null, null);

    private final Object ack;
    private final String eventWithoutAck; // sent the payload as this event when no ack was asked; null: nothing

    private Reply(Object ack, String eventWithoutAck) {
        this.ack = ack;
        this.eventWithoutAck = eventWithoutAck;
    }

    /** No answer at all (the socket left while the request ran: nothing can reach it). */
    public static Reply none() {
        return NONE;
    }

    /** {@code {ok: true}}; add fields with {@link #with}. */
    public static Reply ok() {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("ok", true);
        return new Reply(ack, null);
    }

    /** {@code {ok: true, <field>: value}}. */
    public static Reply ok(String field, Object value) {
        return ok().with(field, value);
    }

    /** {@code payload} as the ack, or as the event {@code event} when the client asked for no ack. */
    public static Reply ackOrEmit(String event, Object payload) {
        return new Reply(payload, event);
    }

    /** The same {@code ok} reply with one more field. */
    @SuppressWarnings("unchecked")
    public Reply with(String field, Object value) {
        ((Map<String, Object>) ack).put(field, value);
        return this;
    }

    void send(Event event) {
        if (this == NONE) {
            return;
        }
        if (event.wantsAck()) {
            event.ack(ack);
        } else if (eventWithoutAck != null) {
            event.socket().emit(eventWithoutAck, ack);
        }
    }
}
