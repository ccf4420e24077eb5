package dev.switchboard.emitapi;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of a {@code POST /emit} body and of each {@code /emit/batch} item: the one list that both the tree
 * parser ({@link EmitRequestParser}) and the streaming reader ({@link EmitRequestReader}) accept.
 */
enum EmitField {
    NAMESPACE("namespace"), ROOM("room"), ROOMS("rooms"), EXCEPT("except"), EVENT("event"), DATA("data"),
    VOLATILE("volatile");

    private static final EmitField[] ALL = values();
    /** For the UNKNOWN_FIELD message. */
    static final List<String> NAMES = Arrays.stream(ALL).map(f -> f.json).toList();

    final String json;

    EmitField(String json) {
        this.json = json;
    }

    /** The field a JSON name is, or null when it is none of them. */
    static EmitField of(String name) {
        for (EmitField field : ALL) {
            if (field.json.equals(name)) {
                return field;
            }
        }
        return null;
    }

    /** The values of one request's fields; null = absent (a JSON null is a NullNode, as a tree holds it). */
    static final class Values {
        private final JsonNode[] values = new JsonNode[ALL.length];

        JsonNode get(EmitField field) {
            return values[field.ordinal()];
        }

        void put(EmitField field, JsonNode value) {
            values[field.ordinal()] = value;
        }
    }
}
