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
        ReadFields fields;
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
        return EmitRequestParser.fromFields(fields.values);
    }

    /** The fields of the body object, or null when the body is valid JSON but no object. */
    private static ReadFields readFields(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw ApiException.badRequest("INVALID_JSON", "request body holds no JSON value");
        }
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            requireEnd(parser);
            return null;
        }
        ReadFields fields = new ReadFields();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken value = parser.nextToken();
            EmitField field = EmitField.of(name);
            if (field == null) {
                if (fields.unknown == null) {
                    fields.unknown = name;
                }
                parser.skipChildren();
            } else {
                fields.values.put(field, field == EmitField.DATA ? VALUE_READER.readTree(parser) : value(parser, value));
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

    /** The fields read, and the first unknown name (null when there is none). */
    private static final class ReadFields {
        final EmitField.Values values = new EmitField.Values();
        String unknown;
    }
}
