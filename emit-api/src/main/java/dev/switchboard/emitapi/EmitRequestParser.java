package dev.switchboard.emitapi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.socketio.ReservedEvents;

/**
 * Turns one JSON object into an {@link EmitRequest}, or refuses it with a 400 naming the field.
 * Unknown fields are refused too: a misspelt {@code "rooom"} must not turn a room emit into a namespace-wide one.
 */
public final class EmitRequestParser {
    /** Rooms (or excepted rooms) one request may name. */
    static final int MAX_ROOMS = 1000;

    private EmitRequestParser() {
    }

    public static EmitRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("INVALID_BODY", "body must be a JSON object");
        }
        EmitField.Values fields = new EmitField.Values();
        for (Iterator<Map.Entry<String, JsonNode>> entries = body.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            EmitField field = EmitField.of(entry.getKey());
            if (field == null) {
                throw unknownField(entry.getKey());
            }
            fields.put(field, entry.getValue());
        }
        return fromFields(fields);
    }

    static ApiException unknownField(String name) {
        return ApiException.badRequest("UNKNOWN_FIELD", "unknown field '" + name + "'; allowed: " + EmitField.NAMES);
    }

    /** Validates the fields of one request object. */
    static EmitRequest fromFields(EmitField.Values fields) {
        JsonNode exceptNode = fields.get(EmitField.EXCEPT);
        JsonNode volatileNode = fields.get(EmitField.VOLATILE);
        String namespace = requiredString(fields.get(EmitField.NAMESPACE), "namespace", "MISSING_NAMESPACE");
        if (!namespace.startsWith("/")) {
            namespace = "/" + namespace;
        }
        String event = requiredString(fields.get(EmitField.EVENT), "event", "MISSING_EVENT");
        if (ReservedEvents.isReserved(event)) {
            throw ApiException.badRequest("RESERVED_EVENT", "event '" + event + "' is reserved by socket.io-client");
        }
        List<String> roomList = roomList(fields.get(EmitField.ROOM), fields.get(EmitField.ROOMS));
        List<String> except = exceptNode == null || exceptNode.isNull() ? List.of() : roomList(null, exceptNode, "except");
        if (volatileNode != null && !volatileNode.isBoolean() && !volatileNode.isNull()) {
            throw invalidType("volatile", "a boolean");
        }
        boolean volatileFlag = volatileNode != null && volatileNode.asBoolean();
        return new EmitRequest(namespace, roomList, except, event, fields.get(EmitField.DATA), volatileFlag);
    }

    /** The common case, one {@code room} string and no {@code rooms}, allocates no list builder. */
    private static List<String> roomList(JsonNode room, JsonNode rooms) {
        boolean noRooms = rooms == null || rooms.isNull();
        if (noRooms && (room == null || room.isNull())) {
            return List.of();
        }
        if (noRooms && room.isTextual()) {
            return List.of(room(room, "room"));
        }
        return roomList(room, rooms, "rooms");
    }

    private static List<String> roomList(JsonNode room, JsonNode rooms, String arrayField) {
        List<String> into = new ArrayList<>();
        addRooms(room, "room", false, into);
        addRooms(rooms, arrayField, true, into);
        return List.copyOf(into);
    }

    private static String requiredString(JsonNode node, String field, String missingCode) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(missingCode, "'" + field + "' is required");
        }
        if (!node.isTextual()) {
            throw invalidType(field, "a string");
        }
        String value = node.textValue();
        if (value.isBlank()) {
            throw ApiException.badRequest(missingCode, "'" + field + "' must not be empty");
        }
        return value;
    }

    /** Accepts a non-empty string, or (when {@code arrayAllowed}) an array of them. */
    private static void addRooms(JsonNode node, String field, boolean arrayAllowed, List<String> into) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isTextual()) {
            into.add(room(node, field));
        } else if (arrayAllowed && node.isArray()) {
            if (node.size() > MAX_ROOMS) {
                throw ApiException.badRequest("TOO_MANY_ROOMS", "'" + field + "' names more than " + MAX_ROOMS + " rooms");
            }
            for (JsonNode element : node) {
                if (!element.isTextual()) {
                    throw invalidType(field, "an array of strings");
                }
                into.add(room(element, field));
            }
        } else {
            throw invalidType(field, arrayAllowed ? "a string or an array of strings" : "a string");
        }
    }

    private static String room(JsonNode node, String field) {
        String room = node.textValue();
        if (room.isEmpty()) {
            throw ApiException.badRequest("INVALID_TYPE", "'" + field + "' must not contain an empty room name");
        }
        return room;
    }

    private static ApiException invalidType(String field, String expected) {
        return ApiException.badRequest("INVALID_TYPE", "'" + field + "' must be " + expected);
    }
}
