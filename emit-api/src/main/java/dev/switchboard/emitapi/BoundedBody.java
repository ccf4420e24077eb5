package dev.switchboard.emitapi;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** A request body parsed as JSON (400 INVALID_JSON when it is not); the 413 answer for a body over the limit. */
final class BoundedBody {
    private BoundedBody() {
    }

    /** A whole body as one JSON value; 400 INVALID_JSON when it is empty or not JSON. */
    static JsonNode parseJson(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("INVALID_JSON", "request body is empty; expected JSON");
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw ApiException.badRequest("INVALID_JSON", "request body holds no JSON value");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        } catch (IOException e) {
            throw ApiException.badRequest("INVALID_JSON", "request body could not be read");
        }
    }

    static ApiException invalidJson(JsonProcessingException e) {
        return ApiException.badRequest("INVALID_JSON", "request body is not valid JSON: " + e.getOriginalMessage());
    }

    static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "BODY_TOO_LARGE", "request body exceeds " + maxBytes + " bytes");
    }
}
