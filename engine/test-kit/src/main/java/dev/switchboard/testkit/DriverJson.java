package dev.switchboard.testkit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Base64;

/**
 * JSON of the driver protocol. {@code byte[]} anywhere in emitted args becomes {@code {"$binary": base64}},
 * which the driver turns into a Buffer; binary the server sends comes back in the same form.
 */
public final class DriverJson {
    public static final String BINARY_FIELD = "$binary";
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("sio-driver-binary").addSerializer(byte[].class, new BinarySerializer()));

    private DriverJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Converts Java values (String, Number, Boolean, Map, List, records/beans, byte[], JsonNode) to an args array. */
    public static ArrayNode args(Object... args) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Object arg : args) {
            JsonNode node = MAPPER.valueToTree(arg);
            array.add(node == null ? MAPPER.nullNode() : node);
        }
        return array;
    }

    /** The {@code {"$binary": base64}} placeholder for bytes. */
    public static ObjectNode binary(byte[] bytes) {
        return MAPPER.createObjectNode().put(BINARY_FIELD, Base64.getEncoder().encodeToString(bytes));
    }

    public static boolean isBinary(JsonNode node) {
        return node != null && node.isObject() && node.size() == 1 && node.has(BINARY_FIELD);
    }

    /** Decodes a {@code {"$binary": base64}} node; fails when the node is something else. */
    public static byte[] bytes(JsonNode node) {
        if (!isBinary(node)) {
            throw new AssertionError("expected binary ({\"$binary\": ...}) but got " + node);
        }
        return Base64.getDecoder().decode(node.get(BINARY_FIELD).asText());
    }

    private static final class BinarySerializer extends StdSerializer<byte[]> {
        BinarySerializer() {
            super(byte[].class);
        }

        @Override
        public void serialize(byte[] value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField(BINARY_FIELD, Base64.getEncoder().encodeToString(value));
            gen.writeEndObject();
        }
    }
}
