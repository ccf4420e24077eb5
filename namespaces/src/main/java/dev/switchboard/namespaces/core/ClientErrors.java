package dev.switchboard.namespaces.core;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;

/**
 * The one shape of the {@code error} event every namespace sends: {@code {event, code, message}}.
 * When the client asked for an ack, the ack carries {@code {ok: false, code, message}} too.
 */
public final class ClientErrors {
    private ClientErrors() {
    }

    public static void send(Event event, String code, String message) {
        Map<String, Object> payload = payload(event.name(), code, message);
        event.socket().emit("error", payload);
        if (event.wantsAck()) {
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("ok", false);
            ack.put("code", code);
            ack.put("message", message);
            event.ack(ack);
        }
    }

    public static void send(Event event, ProducerException e) {
        send(event, e.code(), e.getMessage());
    }

    public static void send(Socket socket, String eventName, String code, String message) {
        socket.emit("error", payload(eventName, code, message));
    }

    private static Map<String, Object> payload(String eventName, String code, String message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", eventName);
        payload.put("code", code);
        payload.put("message", message);
        return payload;
    }
}
