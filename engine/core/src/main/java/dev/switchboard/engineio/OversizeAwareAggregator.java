package dev.switchboard.engineio;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/** Aggregates HTTP bodies up to maxPayload; an oversized polling POST gets 413 and ends its session. */
final class OversizeAwareAggregator extends HttpObjectAggregator {
    private final RouteTable routes;
    private final SessionRegistry registry;

    OversizeAwareAggregator(int maxPayload, RouteTable routes, SessionRegistry registry) {
        super(maxPayload);
        this.routes = routes;
        this.registry = registry;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest request) {
            QueryStringDecoder qs = new QueryStringDecoder(request.uri());
            List<String> sid = qs.parameters().get("sid");
            if (routes.endpoint(qs.path()) != null && sid != null && !sid.isEmpty()) {
                EngineSession session = registry.get(sid.get(0));
                if (session != null) {
                    session.runInArrivalOrder(() -> session.closeOnLoop("transport error", EngineSession.CloseMode.DROP));
                }
            }
        }
        super.handleOversizedMessage(ctx, oversized);
    }
}
