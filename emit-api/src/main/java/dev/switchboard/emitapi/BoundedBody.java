package dev.switchboard.emitapi;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/** Reads a request body up to a limit (413 beyond it) and parses it as JSON (400 INVALID_JSON when it is not). */
final class BoundedBody {
    private BoundedBody() {
    }

    static JsonNode readJson(Context ctx, int maxBytes) {
        return parseJson(read(ctx, maxBytes));
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

    /**
     * The body's bytes. With a Content-Length (the usual case) they are read into one array of exactly that size;
     * a chunked body carries no length and is read up to one byte past the limit.
     */
    static byte[] read(Context ctx, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared >= 0) {
                byte[] body = new byte[(int) declared];
                int read = in.readNBytes(body, 0, body.length);
                if (read < body.length) {
                    throw ApiException.badRequest("INVALID_BODY", "request body ended after " + read + " of "
                            + declared + " declared bytes");
                }
                return body;
            }
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("INVALID_BODY", "request body could not be read");
        }
    }

    static ApiException invalidJson(JsonProcessingException e) {
        return ApiException.badRequest("INVALID_JSON", "request body is not valid JSON: " + e.getOriginalMessage());
    }

    static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "BODY_TOO_LARGE", "request body exceeds " + maxBytes + " bytes");
    }
}
