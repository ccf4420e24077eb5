package dev.switchboard.socketio;

import java.util.StringJoiner;

/** JSON data of binary events as raw Socket.IO packets carry it: the event name, then attachment placeholders. */
final class PlaceholderEvents {
    private PlaceholderEvents() {
    }

    /** {@code ["name", placeholder 0, ..., placeholder n-1]}. */
    static String withAttachments(String name, int attachments) {
        StringJoiner json = start(name);
        for (int i = 0; i < attachments; i++) {
            json.add(placeholder(i));
        }
        return json.toString();
    }

    /** {@code ["name", placeholder num, ... (times copies)]}. */
    static String naming(String name, int num, int times) {
        StringJoiner json = start(name);
        for (int i = 0; i < times; i++) {
            json.add(placeholder(num));
        }
        return json.toString();
    }

    private static StringJoiner start(String name) {
        StringJoiner json = new StringJoiner(",", "[", "]");
        json.add('"' + name + '"');
        return json;
    }

    private static String placeholder(int num) {
        return "{\"_placeholder\":true,\"num\":" + num + "}";
    }
}
