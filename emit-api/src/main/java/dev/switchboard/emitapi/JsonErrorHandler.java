package dev.switchboard.emitapi;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers on the API port (a request it cannot parse: a bad URI, Content-Length or Host, headers too
 * large; an Error thrown past a handler) in the API's one shape {@code {success:false, error:{code, message}}}
 * instead of Jetty's HTML page. Jetty's reason is a fixed phrase of its parser, never the caller's bytes.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = body(status, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** A request Jetty could not parse into one: it writes this body itself. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String reason) {
        String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 413 -> "BODY_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            case 500 -> "INTERNAL_ERROR";
            case 503 -> "UNAVAILABLE";
            default -> "HTTP_" + status;
        };
        String message = status >= 500 ? "internal error"
                : reason == null || reason.isBlank() ? "request refused (HTTP " + status + ")" : reason;
        return ApiErrors.bytes(code, message);
    }
}
