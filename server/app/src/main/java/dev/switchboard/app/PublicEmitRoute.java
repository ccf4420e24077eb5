package dev.switchboard.app;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.emitapi.ApiException;
import dev.switchboard.emitapi.BearerAuth;
import dev.switchboard.emitapi.BrowserGuard;
import dev.switchboard.emitapi.EmitEndpoint;
import dev.switchboard.engineio.HttpReply;
import dev.switchboard.engineio.HttpRoute;
import dev.switchboard.engineio.HttpRouteRequest;

/**
 * {@code POST /emit} and {@code /emit/batch} on the public port, for backends configured with the Socket.IO URL
 * (issue #16 item 1): answered through the API's own {@link EmitEndpoint} (same answers, errors and bearer check)
 * for a loopback peer that did not come through a proxy, and for anyone presenting EMIT_TOKEN. Everyone else gets
 * the public port's 404, as before this route existed. The API's Host / cross-site rule applies here too: a page
 * in the operator's browser is a loopback peer.
 */
final class PublicEmitRoute implements HttpRoute {
    private static final Logger log = LoggerFactory.getLogger(PublicEmitRoute.class);
    /** The engine's answer for a path it does not serve. */
    private static final byte[] NOT_FOUND = "{\"code\":404,\"message\":\"Not found\"}".getBytes(StandardCharsets.UTF_8);
    private static final String[] FORWARDING_HEADERS = {"X-Forwarded-For", "X-Real-IP", "Forwarded"};

    private final EmitEndpoint endpoint;
    private final BrowserGuard browserGuard;

    PublicEmitRoute(EmitEndpoint endpoint, BrowserGuard browserGuard) {
        this.endpoint = endpoint;
        this.browserGuard = browserGuard;
    }

    @Override
    public HttpReply handle(HttpRouteRequest request) {
        EmitEndpoint.Route route = EmitEndpoint.route(request.path());
        String authorization = request.header("Authorization");
        boolean localBackend = isDirectLoopbackPeer(request);
        boolean authorized = endpoint.authorized(authorization);
        if (route == null || !localBackend && !(endpoint.tokenRequired() && authorized)) {
            return HttpReply.json(404, NOT_FOUND);
        }
        String ip = request.remoteAddress().getAddress().getHostAddress();
        ApiException refusal = browserGuard.refusal(request.header("Host"), request.header("Origin"),
                request.header("Sec-Fetch-Site"), authorization);
        if (refusal != null) {
            browserGuard.refused(refusal, request.method(), request.path(), ip);
            return error(refusal);
        }
        byte[] body = request.body();
        refusal = endpoint.refusal(route, request.method(), authorized, request.header("Content-Type"), body.length);
        if (refusal != null) {
            endpoint.refused(refusal, request.path(), ip);
            HttpReply reply = error(refusal);
            return refusal.status() == 401 ? reply.withHeader("WWW-Authenticate", BearerAuth.CHALLENGE) : reply;
        }
        try {
            return HttpReply.json(200, endpoint.answer(route, body));
        } catch (ApiException e) {
            return error(e);
        } catch (RuntimeException e) {
            log.error("api request failed method=POST path={}", request.path(), e);
            return error(new ApiException(500, "INTERNAL_ERROR", "internal error"));
        }
    }

    /** A client on this machine talking to the port itself: no proxy (nginx adds forwarding headers) in between. */
    private static boolean isDirectLoopbackPeer(HttpRouteRequest request) {
        InetSocketAddress remote = request.remoteAddress();
        if (remote == null || remote.getAddress() == null || !remote.getAddress().isLoopbackAddress()) {
            return false;
        }
        for (String header : FORWARDING_HEADERS) {
            if (request.header(header) != null) {
                return false;
            }
        }
        return true;
    }

    private static HttpReply error(ApiException error) {
        return HttpReply.json(error.status(), EmitEndpoint.errorBytes(error));
    }
}
