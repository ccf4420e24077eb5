package dev.switchboard.emitapi;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads one {@code POST /emit} body straight into an {@link EmitRequest} with a streaming parser: no tree for the
 * envelope, a tree only for {@code data} (the broadcast needs it). Answers exactly like
 * {@code EmitRequestParser.parse(Json.MAPPER.readTree(body))}: the whole body is checked as JSON first
 * (syntax, duplicate keys, trailing tokens: 400 INVALID_JSON), then its shape and fields, with the same codes and
 * messages in the same order.
 */
final class EmitRequestReader {
    /** Trailing tokens are checked here once for the whole body, not by each value read inside it. */
    private static final ObjectReader VALUE_READER = Json.MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EmitRequestReader() {
    }

    static EmitRequest read(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("INVALID_JSON", "request body is empty; expected JSON");
        }
        Fields fields;
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            fields = readFields(parser);
        } catch (JsonProcessingException e) {
            throw BoundedBody.invalidJson(e);
        } catch (IOException e) {
            throw ApiException.badRequest("INVALID_JSON", "request body could not be read");
        }
        if (fields == null) {
            throw ApiException.badRequest("INVALID_BODY", "body must be a JSON object");
        }
        if (fields.unknown != null) {
            throw EmitRequestParser.unknownField(fields.unknown);
        }
        return EmitRequestParser.fromFields(fields.namespace, fields.event, fields.room, fields.rooms, fields.except,
                fields.volatileFlag, fields.data);
    }

    /** The fields of the body object, or null when the body is valid JSON but no object. */
    private static Fields readFields(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw ApiException.badRequest("INVALID_JSON", "request body holds no JSON value");
        }
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            requireEnd(parser);
            return null;
        }
        Fields fields = new Fields();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "namespace" -> fields.namespace = value(parser, value);
                case "event" -> fields.event = value(parser, value);
                case "room" -> fields.room = value(parser, value);
                case "rooms" -> fields.rooms = value(parser, value);
                case "except" -> fields.except = value(parser, value);
                case "volatile" -> fields.volatileFlag = value(parser, value);
                case "data" -> fields.data = VALUE_READER.readTree(parser);
                default -> {
                    if (fields.unknown == null) {
                        fields.unknown = name;
                    }
                    parser.skipChildren();
                }
            }
        }
        requireEnd(parser);
        return fields;
    }

    /** Strings (the usual case) become a TextNode without the tree machinery; anything else is read as a tree. */
    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_STRING ? TextNode.valueOf(parser.getText()) : VALUE_READER.readTree(parser);
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw ApiException.badRequest("INVALID_JSON", "request body is not valid JSON: trailing token ("
                    + trailing + ") after the value");
        }
    }

    /** Null = absent; a field that is present holds its node (JSON null as NullNode, like a tree would). */
    private static final class Fields {
        JsonNode namespace;
        JsonNode event;
        JsonNode room;
        JsonNode rooms;
        JsonNode except;
        JsonNode volatileFlag;
        JsonNode data;
        String unknown;
    }
}
