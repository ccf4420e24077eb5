package dev.switchboard.bench.floor;

import java.util.concurrent.ThreadLocalRandom;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/** Upgrades {@code /socket.io/?EIO=4&transport=websocket} and sends the Engine.IO open packet. */
final class FloorUpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final FloorServer server;

    FloorUpgradeHandler(FloorServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.uri().startsWith("/socket.io/") || !req.headers().contains("Upgrade")) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST))
                    .addListener(f -> ctx.close());
            return;
        }
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + req.headers().get("Host") + req.uri(), null, false, 1 << 20).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        String sid = Long.toHexString(ThreadLocalRandom.current().nextLong());
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (f.isSuccess()) {
                server.connections.incrementAndGet();
                ctx.pipeline().replace(this, "floor-ws", new FloorSocketHandler(server, sid));
                ctx.channel().writeAndFlush(new TextWebSocketFrame("0{\"sid\":\"" + sid
                        + "\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"));
            }
        });
    }
}
