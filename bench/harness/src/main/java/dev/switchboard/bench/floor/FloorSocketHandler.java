package dev.switchboard.bench.floor;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Engine.IO pings answered, Socket.IO CONNECT accepted for any namespace, {@code join} puts the channel in a room. */
final class FloorSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final FloorServer server;
    private final String sid;

    FloorSocketHandler(FloorServer server, String sid) {
        this.server = server;
        this.sid = sid;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            handle(ctx, text.text());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.close();
        }
    }

    private void handle(ChannelHandlerContext ctx, String packet) {
        if (packet.equals("2")) {
            ctx.writeAndFlush(new TextWebSocketFrame("3"));
            return;
        }
        if (!packet.startsWith("4")) {
            return;
        }
        char type = packet.length() > 1 ? packet.charAt(1) : ' ';
        String rest = packet.substring(2);
        String nsPrefix = rest.startsWith("/") ? rest.substring(0, rest.indexOf(',') < 0 ? rest.length() : rest.indexOf(',') + 1) : "";
        String body = rest.substring(nsPrefix.length());
        if (nsPrefix.length() > 0 && !nsPrefix.endsWith(",")) {
            nsPrefix = nsPrefix + ",";
        }
        if (type == '0') {
            ctx.writeAndFlush(new TextWebSocketFrame("40" + nsPrefix + "{\"sid\":\"" + sid + "\"}"));
        } else if (type == '2' && body.startsWith("[\"join\",\"")) {
            int end = body.indexOf('"', 9);
            String room = body.substring(9, end);
            server.join(room, ctx.channel());
            ctx.writeAndFlush(new TextWebSocketFrame("42" + nsPrefix + "[\"joined\",{\"room\":\"" + room + "\"}]"));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        server.connections.decrementAndGet();
        server.leaveAll(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
