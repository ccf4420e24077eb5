package dev.switchboard.emitapi;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /emit} and {@code POST /emit/batch} on the API port ({@link EmitEndpoint}), answered by a Jetty core
 * handler placed ahead of Javalin's servlet (other methods get 405); every other path falls through to Javalin.
 * A single emit is handled on the selector thread ({@link SelectorEmitHandler}), a batch on a pool thread.
 * Skipping the servlet layers (context, session, servlet and router dispatch, servlet output stream) is what
 * brings a request's server CPU under the Node peer's: see docs/benchmarks.md, "POST /emit". The body is read
 * asynchronously: a caller dribbling its body holds a connection (bounded by {@link ApiConnectionGuard}), never a
 * worker thread.
 */
final class EmitRoute extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(EmitRoute.class);
    private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE,
            MimeTypes.Type.APPLICATION_JSON.asString());
    private static final HttpField ALLOW_POST = new PreEncodedHttpField(HttpHeader.ALLOW, "POST");
    private static final HttpField CONNECTION_CLOSE = new PreEncodedHttpField(HttpHeader.CONNECTION,
            HttpHeaderValue.CLOSE.asString());
    private static final HttpField BEARER_CHALLENGE = new PreEncodedHttpField(HttpHeader.WWW_AUTHENTICATE,
            BearerAuth.CHALLENGE);

    private final EmitEndpoint endpoint;

    EmitRoute(EmitEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        EmitEndpoint.Route route = EmitEndpoint.route(path);
        if (route == null) {
            return false;
        }
        HttpFields headers = request.getHeaders();
        ApiException refusal = endpoint.refusal(route, request.getMethod(),
                endpoint.authorized(headers.get(HttpHeader.AUTHORIZATION)), headers.get(HttpHeader.CONTENT_TYPE),
                request.getLength());
        if (refusal != null) {
            endpoint.refused(refusal, path, Request.getRemoteAddr(request));
            if (refusal.status() == 405) {
                response.getHeaders().put(ALLOW_POST);
            } else if (refusal.status() == 401) {
                response.getHeaders().put(BEARER_CHALLENGE);
            }
            refuseUnread(request, response, callback, refusal);
            return true;
        }
        Content.Source.asByteArrayAsync(request, endpoint.maxBodyBytes(), new Promise.Invocable<>() {
            @Override
            public InvocationType getInvocationType() {
                // a body arriving after its head: a single emit is answered where it was read, as its head was
                // (SelectorEmitHandler); a batch, which may be many broadcasts, on a pool thread
                return route == EmitEndpoint.Route.SINGLE ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING;
            }

            @Override
            public void succeeded(byte[] body) {
                answer(route, path, body, response, callback);
            }

            @Override
            public void failed(Throwable cause) {
                // Jetty fails the read with IllegalStateException once a body without Content-Length outgrows
                // the limit; anything else is the caller's connection failing mid-body
                fail(response, callback, cause instanceof IllegalStateException
                        ? endpoint.tooLarge()
                        : ApiException.badRequest("INVALID_BODY", "request body could not be read"));
            }
        });
        return true;
    }

    private void answer(EmitEndpoint.Route route, String path, byte[] body, Response response, Callback callback) {
        byte[] answer;
        try {
            answer = endpoint.answer(route, body);
        } catch (ApiException e) {
            fail(response, callback, e);
            return;
        } catch (RuntimeException e) {
            log.error("api request failed method=POST path={}", path, e);
            fail(response, callback, new ApiException(500, "INTERNAL_ERROR", "internal error"));
            return;
        }
        write(response, callback, 200, answer);
    }

    /**
     * A refusal answered before the request's body was read. Jetty closes such a connection once the answer is
     * out unless the body had already arrived, so a client that reused it for its next request would find it
     * closed under that request (seen with the JDK's HttpClient, which sends head and body apart): the answer
     * says {@code Connection: close} whenever a body was announced.
     */
    static void refuseUnread(Request request, Response response, Callback callback, ApiException refusal) {
        if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            response.getHeaders().put(CONNECTION_CLOSE);
        }
        fail(response, callback, refusal);
    }

    private static void fail(Response response, Callback callback, ApiException error) {
        write(response, callback, error.status(), EmitEndpoint.errorBytes(error));
    }

    static void write(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(JSON_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
