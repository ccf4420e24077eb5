package dev.switchboard.engineio;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The answer of an {@link HttpRoute}. Immutable; {@link #withHeader} returns a copy. */
public final class HttpReply {
    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers;

    private HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
        if (status < 100 || status > 599) throw new IllegalArgumentException("bad status " + status);
        this.status = status;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.body = Objects.requireNonNull(body, "body");
        this.headers = headers;
    }

    public static HttpReply json(int status, byte[] body) {
        return new HttpReply(status, "application/json", body, Map.of());
    }

    public static HttpReply text(int status, String body) {
        return new HttpReply(status, "text/plain; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpReply of(int status, String contentType, byte[] body) {
        return new HttpReply(status, contentType, body, Map.of());
    }

    /** A copy with one more response header. */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new HttpReply(status, contentType, body, Map.copyOf(copy));
    }

    public int status() { return status; }
    public String contentType() { return contentType; }
    /** Not copied: do not modify. */
    public byte[] body() { return body; }
    public Map<String, String> headers() { return headers; }
}
