package dev.switchboard.emitapi;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
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
 * {@code POST /emit}, the API's hot path, answered by a Jetty core handler placed ahead of Javalin's servlet
 * (other methods on {@code /emit} get 405); every other path falls through to Javalin. Skipping the servlet
 * layers (context, session, servlet and router dispatch, servlet output stream) is what brings a request's server
 * CPU under the Node peer's: see docs/benchmarks.md, "POST /emit". Answers and errors are byte for byte those the
 * Javalin routes give.
 */
final class EmitRoute extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(EmitRoute.class);
    private static final String PATH = "/emit";
    private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE,
            MimeTypes.Type.APPLICATION_JSON.asString());
    private static final HttpField ALLOW_POST = new PreEncodedHttpField(HttpHeader.ALLOW, "POST");
    private static final HttpField BEARER_CHALLENGE = new PreEncodedHttpField(HttpHeader.WWW_AUTHENTICATE, "Bearer");

    private final Emitter emitter;
    private final BearerAuth auth;
    private final SwitchboardMetrics metrics;
    private final int maxBodyBytes;

    EmitRoute(Emitter emitter, BearerAuth auth, SwitchboardMetrics metrics, int maxBodyBytes) {
        this.emitter = emitter;
        this.auth = auth;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!isEmitPath(Request.getPathInContext(request))) {
            return false;
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(ALLOW_POST);
            fail(response, callback, new ApiException(405, "METHOD_NOT_ALLOWED", "method " + request.getMethod()
                    + " not allowed on " + PATH + "; use POST"));
            return true;
        }
        if (!auth.permits(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            metrics.refusal("api_unauthorized");
            log.warn("api request refused reason=unauthorized method=POST path={} ip={}", PATH,
                    Request.getRemoteAddr(request));
            response.getHeaders().put(BEARER_CHALLENGE);
            fail(response, callback, new ApiException(401, "UNAUTHORIZED", "missing or wrong bearer token"));
            return true;
        }
        if (request.getLength() > maxBodyBytes) {
            fail(response, callback, BoundedBody.tooLarge(maxBodyBytes));
            return true;
        }
        Content.Source.asByteArrayAsync(request, maxBodyBytes, new Promise.Invocable<>() {
            @Override
            public void succeeded(byte[] body) {
                answer(body, response, callback);
            }

            @Override
            public void failed(Throwable cause) {
                // Jetty fails the read with IllegalStateException once a body without Content-Length outgrows
                // the limit; anything else is the caller's connection failing mid-body
                fail(response, callback, cause instanceof IllegalStateException
                        ? BoundedBody.tooLarge(maxBodyBytes)
                        : ApiException.badRequest("INVALID_BODY", "request body could not be read"));
            }
        });
        return true;
    }

    /** Javalin's routes ignore a trailing slash; so does this one. */
    private static boolean isEmitPath(String path) {
        return path.startsWith(PATH) && (path.length() == PATH.length()
                || path.length() == PATH.length() + 1 && path.charAt(PATH.length()) == '/');
    }

    private void answer(byte[] body, Response response, Callback callback) {
        byte[] answer;
        try {
            answer = EmitAnswer.bytes(emitter.emit(EmitRequestReader.read(body)));
        } catch (ApiException e) {
            fail(response, callback, e);
            return;
        } catch (RuntimeException e) {
            log.error("api request failed method=POST path={}", PATH, e);
            fail(response, callback, new ApiException(500, "INTERNAL_ERROR", "internal error"));
            return;
        }
        write(response, callback, 200, answer);
    }

    private static void fail(Response response, Callback callback, ApiException error) {
        write(response, callback, error.status(), ApiErrors.bytes(error.code(), error.getMessage()));
    }

    private static void write(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(JSON_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
