package dev.switchboard.emitapi;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** First handler of the API port: every route is refused (403) to a foreign Host or a cross-site page. */
final class BrowserCheck extends Handler.Abstract.NonBlocking {
    private final BrowserGuard guard;

    BrowserCheck(BrowserGuard guard) {
        this.guard = guard;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        HttpFields headers = request.getHeaders();
        ApiException refusal = guard.refusal(headers.get(HttpHeader.HOST), headers.get(HttpHeader.ORIGIN),
                headers.get("Sec-Fetch-Site"), headers.get(HttpHeader.AUTHORIZATION));
        if (refusal == null) {
            return false;
        }
        guard.refused(refusal, request.getMethod(), Request.getPathInContext(request), Request.getRemoteAddr(request));
        EmitRoute.refuseUnread(request, response, callback, refusal);
        return true;
    }
}
