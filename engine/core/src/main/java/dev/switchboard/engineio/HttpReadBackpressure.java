package dev.switchboard.engineio;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Stops reading an HTTP connection while it cannot take more output (over the channel's high water mark), and
 * resumes once it drains: a client pipelining requests without reading the answers would otherwise make the
 * server queue every answer in memory. Removed when the connection becomes a WebSocket (reading back on), where
 * the session's outbound limits apply.
 */
@ChannelHandler.Sharable
final class HttpReadBackpressure extends ChannelInboundHandlerAdapter {
    static final String NAME = "http-backpressure";
    static final HttpReadBackpressure INSTANCE = new HttpReadBackpressure();

    private HttpReadBackpressure() {
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(true);
    }

    static void remove(ChannelPipeline p) {
        if (p.get(NAME) != null) p.remove(NAME);
    }
}
