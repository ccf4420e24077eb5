package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writes complete HTTP responses, honouring keep-alive. */
final class HttpResponses {
    static final String TEXT_PLAIN = "text/plain; charset=UTF-8";
    static final String TEXT_HTML = "text/html";
    static final String JSON = "application/json";

    private static final String[] ERROR_MESSAGES = {
        "Transport unknown", "Session ID unknown", "Bad handshake method", "Bad request", "Forbidden",
        "Unsupported protocol version"};

    static final int TRANSPORT_UNKNOWN = 0;
    static final int UNKNOWN_SID = 1;
    static final int BAD_HANDSHAKE_METHOD = 2;
    static final int BAD_REQUEST = 3;
    static final int FORBIDDEN = 4;
    static final int UNSUPPORTED_PROTOCOL_VERSION = 5;

    private HttpResponses() {
    }

    /** Engine.IO error answer: 403 for Forbidden, else 400, body {"code":N,"message":"..."}. */
    static void engineError(Channel ch, boolean keepAlive, int code, HttpHeaders extra) {
        HttpResponseStatus status = code == FORBIDDEN ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.BAD_REQUEST;
        String body = "{\"code\":" + code + ",\"message\":\"" + ERROR_MESSAGES[code] + "\"}";
        write(ch, keepAlive, status, JSON, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), extra);
    }

    static void write(Channel ch, boolean keepAlive, HttpResponseStatus status, CharSequence contentType,
                      ByteBuf body, HttpHeaders extra) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        HttpHeaders h = response.headers();
        if (contentType != null) h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (extra != null) {
            extra.names().forEach(h::remove);  // a route may replace a default, such as Cache-Control
            h.add(extra);
        }
        if (keepAlive) {
            HttpUtil.setKeepAlive(response, true);
            ch.writeAndFlush(response, ch.voidPromise());
        } else {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ch.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
