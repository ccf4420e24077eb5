package dev.switchboard.namespaces.core;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;

/**
 * The one shape of the {@code error} event every namespace sends: {@code {event, code, message}}.
 * When the client asked for an ack, the ack carries {@code {ok: false, code, message}} too.
 * What an error repeats of the client's own words (its event name, a name or path a message quotes) is cut to
 * {@link #MAX_EVENT_CHARS} and {@link #MAX_MESSAGE_CHARS}: an unknown {@code /mcp} event named with 0.9 MB was
 * answered with 2.7 MB (the name in the event, in the message, in the ack), bytes unique to a client that may not
 * read them, queued until its session's outbound bound.
 */
public final class ClientErrors {
    static final int MAX_EVENT_CHARS = 128;
    static final int MAX_MESSAGE_CHARS = 512;

    private ClientErrors() {
    }

    public static void send(Event event, String code, String fullMessage) {
        String message = clip(fullMessage, MAX_MESSAGE_CHARS);
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
        socket.emit("error", payload(eventName, code, clip(message, MAX_MESSAGE_CHARS)));
    }

    /** {@code message} already clipped. */
    private static Map<String, Object> payload(String eventName, String code, String message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", clip(eventName, MAX_EVENT_CHARS));
        payload.put("code", code);
        payload.put("message", message);
        return payload;
    }

    /** At most {@code max} characters then "…", never half of a surrogate pair. */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…";
    }
}
