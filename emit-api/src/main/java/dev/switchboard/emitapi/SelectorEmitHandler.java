package dev.switchboard.emitapi;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API port's top handler. Jetty runs a request on the thread that read it (its selector) when the server's
 * handlers are all non-blocking, and hands it to a pool thread otherwise; Javalin's servlet makes the whole server
 * blocking, so every {@code POST /emit} used to pay that hand-off. This handler declares the server non-blocking
 * and keeps that promise itself: the Host / cross-site check and {@code POST /emit} run here (neither waits: the
 * body is read asynchronously, the broadcast only queues writes), and everything else, Javalin's routes and
 * {@code /emit/batch} (a batch may be many broadcasts), goes to a pool thread exactly as Jetty would have sent it.
 */
final class SelectorEmitHandler extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(SelectorEmitHandler.class);

    private final Handler browserCheck;
    private final Handler emitRoute;

    /** @param blocking the handlers run on a pool thread (Javalin adds its servlet to it when it is a Sequence) */
    SelectorEmitHandler(Handler browserCheck, Handler emitRoute, Handler blocking) {
        super(blocking);
        this.browserCheck = browserCheck;
        this.emitRoute = emitRoute;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (browserCheck.handle(request, response, callback)) {
            return true;
        }
        if (EmitEndpoint.route(Request.getPathInContext(request)) == EmitEndpoint.Route.SINGLE) {
            return emitRoute.handle(request, response, callback);
        }
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        request.getComponents().getExecutor().execute(() -> handleBlocking(next, request, response, callback));
        return true;
    }

    /** On a pool thread: what Jetty does for a request no handler took (404) or one that threw (500). */
    private static void handleBlocking(Handler next, Request request, Response response, Callback callback) {
        try {
            if (!next.handle(request, response, callback)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable failure) {
            log.debug("api handler failed path={}", Request.getPathInContext(request), failure);
            callback.failed(failure);
        }
    }
}
