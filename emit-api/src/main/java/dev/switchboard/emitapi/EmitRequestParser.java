package dev.switchboard.emitapi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one JSON object into an {@link EmitRequest}, or refuses it with a 400 naming the field.
 * Unknown fields are refused too: a misspelt {@code "rooom"} must not turn a room emit into a namespace-wide one.
 */
public final class EmitRequestParser {
    /** Rooms (or excepted rooms) one request may name. */
    static final int MAX_ROOMS = 1000;

    private static final Set<String> FIELDS = Set.of("namespace", "room", "rooms", "except", "event", "data", "volatile");
    /** Names socket.io-client reserves for itself; an emit with one of them would never reach a listener. */
    private static final Set<String> RESERVED_EVENTS = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private EmitRequestParser() {
    }

    public static EmitRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("INVALID_BODY", "body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("UNKNOWN_FIELD", "unknown field '" + name + "'; allowed: " + FIELDS);
            }
        }
        String namespace = requiredString(body, "namespace", "MISSING_NAMESPACE");
        if (!namespace.startsWith("/")) {
            namespace = "/" + namespace;
        }
        String event = requiredString(body, "event", "MISSING_EVENT");
        if (RESERVED_EVENTS.contains(event)) {
            throw ApiException.badRequest("RESERVED_EVENT", "event '" + event + "' is reserved by socket.io-client");
        }
        List<String> rooms = new ArrayList<>();
        addRooms(body.get("room"), "room", false, rooms);
        addRooms(body.get("rooms"), "rooms", true, rooms);
        List<String> except = new ArrayList<>();
        addRooms(body.get("except"), "except", true, except);
        JsonNode volatileNode = body.get("volatile");
        if (volatileNode != null && !volatileNode.isBoolean() && !volatileNode.isNull()) {
            throw invalidType("volatile", "a boolean");
        }
        boolean volatileFlag = volatileNode != null && volatileNode.asBoolean();
        return new EmitRequest(namespace, List.copyOf(rooms), List.copyOf(except), event, body.get("data"), volatileFlag);
    }

    private static String requiredString(JsonNode body, String field, String missingCode) {
        JsonNode node = body.get(field);
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
