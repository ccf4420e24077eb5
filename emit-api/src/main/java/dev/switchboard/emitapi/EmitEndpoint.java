package dev.switchboard.emitapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one emit path, {@code POST /emit} and {@code POST /emit/batch}, whatever port the request came in on (the API
 * port's {@link EmitRoute}, the public port's route in the app): the checks before the body is read (method,
 * bearer token, content type, declared length) and the answer to a body. Answers and errors are the same bytes on
 * both ports.
 */
public final class EmitEndpoint {
    private static final Logger log = LoggerFactory.getLogger(EmitEndpoint.class);
    private static final String EMIT = "/emit";
    private static final String BATCH = "/emit/batch";

    /** Which of the two emit routes a request names. */
    public enum Route { SINGLE, BATCH }

    private final Emitter emitter;
    private final BearerAuth auth;
    private final SwitchboardMetrics metrics;
    private final int maxBodyBytes;
    private final int maxBatchItems;

    EmitEndpoint(Emitter emitter, BearerAuth auth, SwitchboardMetrics metrics, int maxBodyBytes, int maxBatchItems) {
        this.emitter = emitter;
        this.auth = auth;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchItems = maxBatchItems;
    }

    /** The emit route a path names (a trailing slash ignored, as Javalin's routes do), or null. */
    public static Route route(String path) {
        if (matches(path, EMIT)) {
            return Route.SINGLE;
        }
        return matches(path, BATCH) ? Route.BATCH : null;
    }

    private static boolean matches(String path, String route) {
        return path.startsWith(route) && (path.length() == route.length()
                || path.length() == route.length() + 1 && path.charAt(route.length()) == '/');
    }

    /** Whether a token is configured at all. */
    public boolean tokenRequired() {
        return auth.required();
    }

    /** The bearer check; true when no token is configured. */
    public boolean authorized(String authorizationHeader) {
        return auth.permits(authorizationHeader);
    }

    /**
     * The refusal before the body is read, or null: 405 for another method, 401 without the token (see
     * {@link #authorized}), 415 unless the body is declared {@code application/json} (a page on another site can
     * post a form or text/plain without asking; JSON it cannot), 413 for a declared length over the limit.
     */
    public ApiException refusal(Route route, String method, boolean authorized, String contentType,
                                long declaredLength) {
        if (!"POST".equals(method)) {
            return new ApiException(405, "METHOD_NOT_ALLOWED", "method " + method + " not allowed on "
                    + (route == Route.SINGLE ? EMIT : BATCH) + "; use POST");
        }
        if (!authorized) {
            return BearerAuth.unauthorized();
        }
        if (!isJson(contentType)) {
            return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json, not "
                    + (contentType == null ? "missing" : "'" + contentType + "'"));
        }
        if (declaredLength > maxBodyBytes) {
            return tooLarge();
        }
        return null;
    }

    /** Logs and counts a refusal of {@link #refusal} once. */
    public void refused(ApiException refusal, String path, String ip) {
        refused(refusal, "POST", path, ip);
    }

    /** Logs and counts a refusal (of {@link #refusal}, or the bearer check of another route) once. */
    void refused(ApiException refusal, String method, String path, String ip) {
        String reason = switch (refusal.status()) {
            case 401 -> "unauthorized";
            case 415 -> "unsupported_media_type";
            default -> null;
        };
        if (reason != null) {
            metrics.refusal("api_" + reason);
            log.warn("api request refused reason={} method={} path={} ip={}", reason, method, path, ip);
        }
    }

    ApiException tooLarge() {
        return BoundedBody.tooLarge(maxBodyBytes);
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** {@code application/json}, any case, parameters (charset) allowed. */
    static boolean isJson(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, "application/json", 0, 16)) {
            return false;
        }
        if (contentType.length() == 16) {
            return true;
        }
        char next = contentType.charAt(16);
        return next == ';' || next == ' ' || next == '\t';
    }

    /** The 200 answer to a body that passed {@link #refusal}; throws the error answer otherwise. */
    public byte[] answer(Route route, byte[] body) {
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        return route == Route.SINGLE ? EmitAnswer.bytes(emitter.emit(EmitRequestReader.read(body))) : batch(body);
    }

    /** Each item is validated and emitted on its own: one bad item does not stop the others. */
    private byte[] batch(byte[] bytes) {
        JsonNode body = BoundedBody.parseJson(bytes);
        if (!body.isArray()) {
            throw ApiException.badRequest("INVALID_BODY", "body must be a JSON array of emit requests");
        }
        if (body.isEmpty()) {
            throw ApiException.badRequest("EMPTY_BATCH", "batch holds no emit request");
        }
        if (body.size() > maxBatchItems) {
            throw new ApiException(413, "BATCH_TOO_LARGE", "batch holds " + body.size() + " items; at most "
                    + maxBatchItems + " allowed");
        }
        List<Map<String, Object>> results = new ArrayList<>(body.size());
        int delivered = 0;
        int failed = 0;
        for (JsonNode item : body) {
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                int reached = emitter.emit(EmitRequestParser.parse(item));
                delivered += reached;
                result.put("success", true);
                result.put("delivered", reached);
            } catch (ApiException e) {
                failed++;
                result.put("success", false);
                result.put("error", ApiErrors.errorBody(e.code(), e.getMessage()));
            }
            results.add(result);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", failed == 0);
        response.put("delivered", delivered);
        response.put("failed", failed);
        response.put("results", results);
        return Json.bytes(response);
    }

    /** The error body of a refusal or failed answer. */
    public static byte[] errorBytes(ApiException error) {
        return ApiErrors.bytes(error.code(), error.getMessage());
    }
}
