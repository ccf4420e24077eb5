package dev.switchboard.bench.floor;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** {@code POST /emit {namespace, room, event, data}} and {@code GET /health}. */
final class FloorApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FloorServer server;

    FloorApiHandler(FloorServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
        String path = req.uri();
        if (req.method().equals(HttpMethod.POST) && path.equals("/emit")) {
            JsonNode body = JSON.readTree(req.content().toString(StandardCharsets.UTF_8));
            int delivered = emit(body.path("namespace").asText("/"), body.path("room").asText(null),
                    body.path("event").asText(), body.get("data"));
            reply(ctx, req, 200, "{\"success\":true,\"delivered\":" + delivered + "}");
        } else if (req.method().equals(HttpMethod.GET) && path.equals("/health")) {
            reply(ctx, req, 200, "{\"success\":true,\"status\":\"ok\",\"connections\":{\"/mcp\":"
                    + server.connections.get() + "},\"activeStreams\":0}");
        } else {
            reply(ctx, req, 404, "{\"success\":false}");
        }
    }

    private int emit(String namespace, String room, String event, JsonNode data) throws Exception {
        String nsPrefix = namespace.equals("/") ? "" : namespace + ",";
        byte[] payload = ("42" + nsPrefix + "[" + JSON.writeValueAsString(event) + ","
                + (data == null ? "null" : JSON.writeValueAsString(data)) + "]").getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.directBuffer(payload.length + 10);
        frame.writeByte(0x81);
        if (payload.length < 126) {
            frame.writeByte(payload.length);
        } else if (payload.length < 65536) {
            frame.writeByte(126).writeShort(payload.length);
        } else {
            frame.writeByte(127).writeLong(payload.length);
        }
        frame.writeBytes(payload);
        Map<EventLoop, Set<Channel>> byLoop = room == null ? null : server.rooms.get(room);
        int delivered = 0;
        if (byLoop != null) {
            for (Map.Entry<EventLoop, Set<Channel>> e : byLoop.entrySet()) {
                Set<Channel> members = e.getValue();
                delivered += members.size();
                ByteBuf shared = frame.retainedDuplicate();
                e.getKey().execute(() -> {
                    for (Channel ch : members) {
                        ch.write(shared.retainedDuplicate(), ch.voidPromise());
                    }
                    for (Channel ch : members) {
                        ch.flush();
                    }
                    shared.release();
                });
            }
        }
        frame.release();
        return delivered;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a client (wrk) closing with a reset is normal here
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpRequest req, int status, String json) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(f -> ctx.close());
        }
    }
}
