package dev.switchboard.namespaces.mcp;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.ProducerException;

/** Room names come from the backend (MCP server, execution, thread ids): 1..128 printable characters. */
final class RoomName {
    static final int MAX_LENGTH = 128;

    private RoomName() {
    }

    /** The room of a {@code join}/{@code leave} argument: {@code {room}} or a plain string. */
    static String parse(String eventName, JsonNode arg) throws ProducerException {
        JsonNode room = arg.isObject() ? arg.get("room") : arg;
        if (room == null || !room.isTextual()) {
            throw new ProducerException("BAD_REQUEST", eventName + " expects {room} or a room name string");
        }
        return validate(room.textValue());
    }

    static String validate(String room) throws ProducerException {
        if (room.isEmpty() || room.length() > MAX_LENGTH) {
            throw new ProducerException("BAD_REQUEST", "room must be 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < room.length(); i++) {
            char c = room.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c)
                    && !validSurrogatePair(room, i) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                throw new ProducerException("BAD_REQUEST", "room must hold printable characters only (bad character at " + i + ")");
            }
        }
        if (room.isBlank()) {
            throw new ProducerException("BAD_REQUEST", "room must not be blank");
        }
        return room;
    }

    private static boolean validSurrogatePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
